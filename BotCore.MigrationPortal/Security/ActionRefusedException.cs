using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Security;

/// <summary>An action the portal refuses, with the reason: a missing role, an illegal transition, a stale page.</summary>
public sealed class ActionRefusedException(string message) : MigrationEngineException(message);
