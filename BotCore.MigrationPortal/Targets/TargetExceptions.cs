using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Targets;

/// <summary>The target's database does not answer, refuses our credentials, or is not configured.</summary>
public sealed class TargetUnreachableException(string message, Exception? inner = null) : BadInputException(message, inner);
