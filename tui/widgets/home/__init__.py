"""Home's parts: the new-quiz form and the panels around it. They show what they are given
and post messages (`StartQuiz`, `SetupChanged`, `ResumeQuiz`, `OpenReport`) up to the app."""
