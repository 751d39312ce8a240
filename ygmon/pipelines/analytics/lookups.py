"""Geo from an IP address and device, browser and OS from a user agent, cached.

Geo reads the GeoLite2 City database that the maxminddb-geolite2 package ships (IPv4
and IPv6, memory-mapped, through maxminddb's C reader when it is built: nothing is
downloaded at run time). Agents are read by ua-parser's current resolver (its Rust
regex engine, ua-parser-rs, when installed: about 5x the legacy pure-Python matcher
that user-agents calls) and classified by user-agents' rules (tablet, mobile, PC, bot).
Agents and addresses repeat a lot, so each answer is kept (lru_cache) for the life of
the process.
"""

from __future__ import annotations

import ipaddress
import threading
from functools import lru_cache
from typing import Any, NamedTuple


class Geo(NamedTuple):
    country: str | None
    region: str | None
    city: str | None
    gap: str | None
    """Why the address gave no country, if it did not."""


class Agent(NamedTuple):
    device_type: str | None
    browser: str | None
    os: str | None
    gap: str | None


_reader: Any = None
_reader_lock = threading.Lock()


def _geo_reader() -> Any:
    global _reader
    if _reader is None:
        with _reader_lock:
            if _reader is None:
                import maxminddb
                from _maxminddb_geolite2 import geolite2_database

                _reader = maxminddb.open_database(geolite2_database(), maxminddb.MODE_AUTO)
    return _reader


@lru_cache(maxsize=65536)
def geo(address: str | None) -> Geo:
    if not address or not address.strip():
        return Geo(None, None, None, "no IP address")
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return Geo(None, None, None, "malformed IP address")
    if not ip.is_global:
        return Geo(None, None, None, "private or reserved IP address")
    found = _geo_reader().get(str(ip))
    if not found or "country" not in found:
        return Geo(None, None, None, "IP address not in the geo database")
    subdivisions = found.get("subdivisions") or []
    region = subdivisions[0]["names"].get("en") if subdivisions else None
    city = (found.get("city") or {}).get("names", {}).get("en")
    return Geo(found["country"]["iso_code"], _cut(region), _cut(city), None)


def _cut(value: str | None, size: int = 100) -> str | None:
    return value[:size] if value else value


@lru_cache(maxsize=16384)
def agent(user_agent: str | None) -> Agent:
    if not user_agent or not user_agent.strip():
        return Agent(None, None, None, "empty user agent")
    parsed = _classified(user_agent)
    if parsed.is_bot:
        device = "bot"
    elif parsed.is_tablet:
        device = "tablet"
    elif parsed.is_mobile:
        device = "mobile"
    elif parsed.is_pc:
        device = "desktop"
    else:
        device = "other"
    browser = parsed.browser.family if parsed.browser.family != "Other" else None
    os_name = parsed.os.family if parsed.os.family != "Other" else None
    gap = None if browser or device == "bot" else "unrecognised user agent"
    return Agent(device, _cut(browser, 64), _cut(os_name, 64), gap)


def _classified(user_agent: str) -> Any:
    """user-agents' UserAgent over ua-parser's current resolver's answer (its own
    constructor calls the legacy matcher)."""
    import ua_parser
    from user_agents.parsers import (
        UserAgent,
        parse_browser,
        parse_device,
        parse_operating_system,
    )

    found = ua_parser.parse(user_agent)
    browser, system, device = found.user_agent, found.os, found.device
    parsed = UserAgent.__new__(UserAgent)
    parsed.ua_string = user_agent
    parsed.browser = parse_browser(
        *((browser.family, browser.major, browser.minor, browser.patch) if browser else ("Other",))
    )
    parsed.os = parse_operating_system(
        *((system.family, system.major, system.minor, system.patch) if system else ("Other",))
    )
    parsed.device = parse_device(
        *((device.family, device.brand, device.model) if device else ("Other", None, None))
    )
    return parsed
