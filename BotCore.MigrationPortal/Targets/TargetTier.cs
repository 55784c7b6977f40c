namespace BotCore.MigrationPortal.Targets;

public enum TargetTier
{
    Development,
    Staging,
    Production,
}
