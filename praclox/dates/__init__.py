"""Personal dates: birthdays, children's birthdays and wedding days; calendar pages, iCal feeds, reminders."""
