"""The officers' dashboard: the to-do list (待办), the count in the navigation, the searchable company and community
lists."""
