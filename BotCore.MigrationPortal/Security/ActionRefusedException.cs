using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Security;

/// <summary>An action the portal refuses, with the reason: a missing role, an illegal transition, a stale page.</summary>
public class ActionRefusedException(string message) : MigrationEngineException(message);

/// <summary>A refusal because what the action names does not exist (no such run): an API answers 404.</summary>
public sealed class NotFoundRefusalException(string message) : ActionRefusedException(message);

/// <summary>
/// A refusal because the thing acted on changed or is taken (a stale page's revision, a second click, a target's open run):
/// the same request may succeed after reading it again. An API answers 409.
/// </summary>
public sealed class ConflictRefusalException(string message) : ActionRefusedException(message);
