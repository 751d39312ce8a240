"""Where the registry's records live: base.RegistryStore (the protocol every backend
implements), buckets (the history buckets both keep), and one package per backend."""
