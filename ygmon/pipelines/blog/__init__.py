"""Blog: publishing the posts whose scheduled time has come."""
