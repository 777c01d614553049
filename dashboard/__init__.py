"""The Cuba Energy Crisis Dashboard: a Dash app over the published data in data/."""
