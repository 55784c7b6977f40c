namespace BotCore.MigrationPortal.Engine.Ports;

public enum TargetTier
{
    Development,
    Staging,
    Production,
}
