"""The web service: a JSON API and two HTML pages over the retriever (see `service.app`)."""
