using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Notifications;

/// <summary>Who may see and change the notification channels, asked by the settings page (to show it) and by <see cref="NotificationSettings"/> (to act): an Admin.</summary>
public static class NotificationRules
{
    public static Verdict Check(Actor actor) => Verdict.Role(actor, Role.Admin, "configure notifications");
}
