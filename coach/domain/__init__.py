"""The domain: the session model, the CSI-4 check-in, the safety pathway's decisions, targets,
couple labels, validity, wording, evidence, finishing a session. Pure: no typer, rich or
questionary."""
