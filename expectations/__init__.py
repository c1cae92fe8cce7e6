"""Great Expectations suites, written as code, one module per checked asset.

Each suite is a list of `CheckedFrame`s: a read-only query on the working database and the
expectations that its rows must meet, each with a severity (`blocking` or `warning`).
"""
