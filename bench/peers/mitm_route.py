"""
Routes requests for api.openai.com to the benchmark's fake provider (what llmgate's `upstreams` config
does), so mitmdump gets exactly the requests llmgate gets.

    mitmdump -s bench/peers/mitm_route.py --set route_to=127.0.0.1:PORT
"""
from mitmproxy import ctx, http


class Route:
    def load(self, loader) -> None:
        loader.add_option("route_to", str, "", "host:port that api.openai.com requests go to")

    def request(self, flow: http.HTTPFlow) -> None:
        if ctx.options.route_to and flow.request.pretty_host == "api.openai.com":
            host, port = ctx.options.route_to.rsplit(":", 1)
            flow.request.host = host
            flow.request.port = int(port)


addons = [Route()]
