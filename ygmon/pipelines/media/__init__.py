"""The media pipeline: asset import and scan results, thumbnails, the preview gate and
the preview clips, all with ffmpeg. Services take a Database and a Storage and know
nothing of Huey (ygmon/jobs/tasks/media.py wraps them)."""
