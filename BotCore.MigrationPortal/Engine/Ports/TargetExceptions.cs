using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Engine.Ports;

/// <summary>The target's database does not answer, refuses our credentials, or is not configured.</summary>
public sealed class TargetUnreachableException(string message, Exception? inner = null) : BadInputException(message, inner);

/// <summary>The target answers, but its user may not do what was asked: the operation failed, the configuration is right.</summary>
public sealed class TargetPrivilegeException(string message, Exception? inner = null) : MigrationEngineException(message, inner);
