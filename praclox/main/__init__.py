"""The frame every page shares: navigation, dashboard, language, error pages."""
