"""The Host-header check shared by both local servers, the reader's (`aligner serve`) and the
editor's (`aligner serve --edit`), so that they refuse the same requests with the same answer."""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
HOST_HEADER = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9_.-]+))(?::(?P<port>[0-9]{1,5}))?")
REFUSED = 400  # the status of a request whose Host does not name the server, on both servers


@dataclass(frozen=True)
class Hosts:
    """The Host headers a server answers: this port with one of `names` (lowercase; IP addresses
    as `ipaddress` writes them), or with any IP address when `any_address`. A page of another site
    whose name an attacker pointed at this machine (DNS rebinding) sends that name, and is refused
    before it gets a page (or the editor's token); an IP address cannot be rebound."""

    port: int
    names: frozenset[str]
    any_address: bool

    def allows(self, header: str) -> bool:
        """Whether a Host header (`name:port`, `[v6]:port`, or without the port for 80) names this server."""
        parsed = HOST_HEADER.fullmatch(header)
        if parsed is None or int(parsed["port"] or 80) != self.port:
            return False
        name = parsed["v6"] or parsed["name"]
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return not parsed["v6"] and name.lower() in self.names
        if parsed["v6"] and address.version != 6:
            return False
        return self.any_address or str(address) in self.names


def refusal(header: str) -> str:
    """The one-line reason both servers give for refusing a request with this Host header."""
    return f"host '{header}' is not this server"


def hosts_for(host: str, port: int) -> Hosts:
    """The Host headers a browser may send to a server bound to `host`. On loopback: the
    loopback names. Beyond it (`--host 0.0.0.0`, an address of the network), also any IP address
    and this machine's own names: the editor's token and Origin check alone would not do, since a
    rebound name gets the page, the token with it, and an Origin that matches its Host."""
    try:
        address = ipaddress.ip_address(host)
        bound, loopback = str(address), address.is_loopback
    except ValueError:  # a name, such as localhost
        bound, loopback = host.lower(), host.lower() in LOOPBACK
    if loopback:
        return Hosts(port, LOOPBACK | {bound}, any_address=False)
    machine = {name.lower() for name in (socket.gethostname(), socket.getfqdn()) if name}
    return Hosts(port, LOOPBACK | machine, any_address=True)
