namespace BotCore.MigrationPortal.Emergency;

/// <summary>Someone to call when a run fails: their role ("DBA on-call"), name and how to reach them (a phone number, a pager, a channel).</summary>
/// <param name="Configured">False for the spec's default whose name and reach nobody has configured yet: shown as a gap to fill, not as a contact.</param>
public sealed record EmergencyContact(string Role, string Name, string Reach, bool Configured = true);
