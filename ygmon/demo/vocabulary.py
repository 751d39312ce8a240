"""The words the demo data is made of: names, places, browsers, titles and error texts.

Kept apart from the generators so those read as the shape of the data, not its spelling.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Amara", "Bruno", "Chen", "Dalia", "Emeka", "Freya", "Gustavo", "Hana", "Ines", "Jonas",
    "Kavya", "Luca", "Maya", "Nikolai", "Olu", "Priya", "Quentin", "Rosa", "Sami", "Tomas",
    "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Adeyemi", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Patel", "Rossi", "Silva",
    "Tanaka", "Usman", "Varga", "Weber", "Yilmaz", "Zhang",
)  # fmt: skip

# (weight, country, region, city); the weights roughly follow where a creative platform's
# traffic is.
_WEIGHTED_PLACES = (
    (14, "US", "California", "Los Angeles"), (10, "US", "New York", "New York"),
    (4, "US", "Tennessee", "Nashville"), (10, "GB", "England", "London"),
    (7, "DE", "Berlin", "Berlin"), (6, "FR", "Ile-de-France", "Paris"),
    (5, "NG", "Lagos", "Lagos"), (6, "BR", "Sao Paulo", "Sao Paulo"),
    (5, "JP", "Tokyo", "Tokyo"), (6, "IN", "Maharashtra", "Mumbai"),
    (5, "CA", "Ontario", "Toronto"), (3, "SE", "Stockholm", "Stockholm"),
)  # fmt: skip
PLACES = tuple(place[1:] for place in _WEIGHTED_PLACES)
PLACE_WEIGHTS = tuple(place[0] for place in _WEIGHTED_PLACES)

# (user agent, device type, browser, os): what the enrichment job derives from the agent.
USER_AGENTS = (
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        "desktop", "Chrome", "Windows",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Safari/605.1.15",
        "desktop", "Safari", "macOS",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "desktop", "Firefox", "Linux",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "mobile", "Mobile Safari", "iOS",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.6778.81 Mobile Safari/537.36",
        "mobile", "Chrome Mobile", "Android",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.7 Mobile/15E148 Safari/604.1",
        "tablet", "Mobile Safari", "iPadOS",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
        "desktop", "Edge", "Windows",
    ),
)  # fmt: skip
USER_AGENT_WEIGHTS = (30, 16, 6, 22, 16, 5, 5)

REFERRERS = (
    None,
    "https://www.google.com/",
    "https://www.instagram.com/",
    "https://t.co/",
    "https://www.linkedin.com/",
    "https://news.ycombinator.com/",
)

# (event type, weight); asset views dominate, licences are rare, as on any marketplace.
EVENT_TYPES = (
    ("asset.viewed", 46),
    ("asset.preview_played", 16),
    ("asset.clicked", 12),
    ("search.performed", 10),
    ("project.viewed", 6),
    ("asset.downloaded", 4),
    ("asset.favorited", 4),
    ("license.requested", 1.5),
    ("license.created", 0.5),
)

SPECIALTIES = (
    "cinematography", "sound design", "film scoring", "voice acting", "motion graphics",
    "drone footage", "foley", "lo-fi beats", "documentary", "ambient", "animation", "podcasting",
)  # fmt: skip
STAGE_WORDS = (
    "Northlight", "Velvet", "Echo", "Saltwater", "Paper", "Neon", "Harbor", "Static", "Juniper",
    "Copper", "Midnight", "Atlas",
)  # fmt: skip
STAGE_SUFFIXES = ("Studio", "Sound", "Films", "Collective", "Audio", "Works", "Pictures")

VIDEO_TITLES = (
    "Golden hour over the harbour",
    "City timelapse, rush hour",
    "Slow-motion rain on glass",
    "Drone pass over pine forest",
    "Neon alley at night",
)
AUDIO_TITLES = (
    "Warm lo-fi loop, 90 bpm",
    "Cinematic rise and hit",
    "Morning birdsong, field recording",
    "Analog synth pad in A minor",
    "Podcast intro sting",
)
TAGS = (
    "4k", "loop", "royalty-free", "ambient", "b-roll", "nature", "urban", "night", "cinematic",
    "vintage", "upbeat", "calm",
)  # fmt: skip

PROJECT_TITLES = (
    ("Spring sneaker launch", "Short-form social ads for the spring collection."),
    ("Coffee brand rebrand film", "A 60-second brand film and cut-downs."),
    ("Travel podcast season 3", "Intro, outro and bed music for twelve episodes."),
    ("Fintech explainer series", "Animated explainers with voice-over."),
    ("Festival aftermovie", "Drone and crowd footage, licensed for one year."),
    ("Museum audio guide", "Narration and ambient beds for the new wing."),
)

BLOG_TITLES = (
    "How licensing works on the platform",
    "Five ways to price your stock footage",
    "Creator spotlight: sound designers to follow",
    "What brands look for in a b-roll library",
    "Behind the scenes of a drone shoot",
    "Music licensing terms, explained",
    "Our new preview player",
    "Year in review: the most licensed assets",
    "Tips for recording clean field audio",
    "Scheduling releases for maximum reach",
    "Meet the curation team",
    "Getting paid: royalties and payouts",
)

NOTIFICATION_KINDS = (
    ("LICENSE", "New license request", "{brand} asked to license \u201c{asset}\u201d."),
    ("LICENSE", "License approved", "Your license for \u201c{asset}\u201d is now active."),
    ("ROYALTY", "Royalty statement ready", "Your statement for last month is ready."),
    ("PAYOUT", "Payout sent", "A payout of ${amount} is on its way."),
    ("PROJECT", "Added to a project", "{brand} added you to \u201c{project}\u201d."),
    ("MESSAGE", "New message", "{brand} sent you a message."),
    ("SYSTEM", "Scheduled maintenance", "The platform is read-only on Sunday 02:00-02:30 UTC."),
)
