"""The demo: a local 政府信息公开 portal (site.py) serving the sample reports in data/, for
`govreports demo`, the flow tests and the benchmarks."""
