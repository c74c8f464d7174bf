"""Rating cycles: draft → computed → publicized → finalized, frozen snapshots and stored ratings."""
