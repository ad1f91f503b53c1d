"""Dutch de-identification for case texts: detectors, consistent pseudonyms and an API route."""
