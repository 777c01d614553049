/* dcc.Input (Dash 4.4) puts the caret back after each debounced change with setSelectionRange, which browsers
 * refuse on date inputs ("The input element's type ('date') does not support selection"): every date a reader
 * typed logged an error. Only the types that have a caret get one (WHATWG: text, search, url, tel, password);
 * for the others the call does nothing, as it would if the browser ignored it. */
(function () {
    var withCaret = { text: 1, search: 1, url: 1, tel: 1, password: 1 };
    var original = HTMLInputElement.prototype.setSelectionRange;
    HTMLInputElement.prototype.setSelectionRange = function () {
        if (!withCaret[this.type]) return undefined;
        return original.apply(this, arguments);
    };
})();
