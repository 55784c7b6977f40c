using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Engine.Leases;

/// <summary>Another run holds the target's lease.</summary>
public sealed class TargetLockedException(string target, LeaseRecord holder) : MigrationEngineException(
    $"Target '{target}' is busy: run {holder.RunId} by {holder.User} on {holder.Host} holds its lock since {holder.AcquiredAt:u}. " +
    $"Wait for that run to finish; if its process died, the lock can be taken over after it expires at {holder.ExpiresAt:u}.")
{
    public LeaseRecord Holder { get; } = holder;
}
