namespace BotCore.MigrationPortal.Engine;

/// <summary>
/// An expected failure whose message is written for the DBA: it says what is wrong and what to do.
/// Callers show the message and no stack trace.
/// </summary>
public class MigrationEngineException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The request itself is wrong (malformed or unknown version, unknown target, unreachable database).</summary>
public class BadInputException(string message, Exception? inner = null) : MigrationEngineException(message, inner);

/// <summary>The planner refuses a plan that would be unsafe (gap in history, modified migration).</summary>
public sealed class PlanRefusedException(string message) : MigrationEngineException(message);

/// <summary>A step cannot be applied to the catalog it meets (exists with other options, missing collection).</summary>
public sealed class StepConflictException(string message) : MigrationEngineException(message);

/// <summary>
/// A run stopped before its first step (the target busy with another run, at another version than the plan's start,
/// unreachable): nothing was changed, so there is nothing to roll back. The message says why; the inner exception is the cause.
/// </summary>
public sealed class RunNotStartedException(string message, Exception inner) : MigrationEngineException(message, inner);
