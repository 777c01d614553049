"""The claims engine: one claim of `seeds/<document>/claims.yaml` + the published tables → a neutral label and a
one-sentence conclusion in English and Spanish, generated from the numbers (format: docs/CLAIMS_FORMAT.md).

Pure (no I/O besides `seeds`, inputs never mutated), so the same data always give the same verdict and tests can feed
it small frames. Modules, each importing only those above it:

- `labels`: the five labels, in English and Spanish (the one list the ETL and the dashboard import);
- `values`: scalars, numbers and ISO dates as claim files and tables hold them;
- `schema`: the claim format's vocabularies and `check_claim`;
- `seeds`: reading and validating `seeds/<document>/` folders;
- `selection`: one evidence series resolved against its table (`select`);
- `rules`: one number judged against the claim, several labels combined;
- `formatting`: numbers, units, dates and periods as a reporter writes them;
- `wording`: series names, descriptions, claimed phrases and the conclusion;
- `sentence_check`: the claim file's hand-written sentences held to the figures;
- `weighing`: which series may decide the label, and the rows published behind it;
- `evaluators`: one evaluator per rule kind;
- `engine`: `evaluate`, a claim end to end.
"""
