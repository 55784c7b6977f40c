using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>Who may see and change the notification channels, asked by the settings page (to show it) and by <see cref="NotificationSettings"/> (to act): an Admin.</summary>
public static class NotificationRules
{
    public static Verdict Check(Actor actor) => Verdict.Role(actor, Role.Admin, "configure notifications");

    /// <summary>Channel names are unique regardless of case: what adding or renaming to a taken name is refused with, by either store.</summary>
    public static ConflictRefusalException NameTaken(string name) => new($"A channel named '{name}' exists already: choose another name, or edit that one.");
}
