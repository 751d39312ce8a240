"""`python -m bench peers`: ygmon beside Celery + Flower, RQ + rq-dashboard, Dramatiq
and bare Huey on the same Redis (issue 27). The harness runs in ygmon's environment;
each peer runs in a virtual environment of its own (bench/peers/venvs.py) from the
small apps in bench/peers/apps/."""
