"""Use analysis: aggregates of the CRM's records as charts with their numbers, and the CRM's own use."""
