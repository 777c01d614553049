"""The UNE's daily grid notes: reading the article exports (corpus), parsing a note's figures (parser), one row of
figures per article (notes), and the `parse-une` command (parse_command)."""
