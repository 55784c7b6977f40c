using BotCore.MigrationPortal.Engine;

namespace BotCore.MigrationPortal.Targets.Sandbox;

/// <summary>
/// The faults armed on the simulated targets of a sandbox portal (registered in sandbox mode only), so that a failure, an
/// automatic rollback, an emergency rollback and a failed rollback can be seen and browser-tested without MongoDB. Armed
/// from configuration at start-up and by an Admin on the dashboard (<see cref="SandboxFaultRequests"/>); consulted by
/// <see cref="SandboxMigrationTarget"/> as it executes steps and by the post-migration checks.
/// <para>
/// A fault fires once, then clears itself: one arming is one failure, so the rollback that follows a failed step, and the
/// next run, proceed unless something else is armed (a failed rollback is a failing step plus its undo, or a later step's).
/// </para>
/// </summary>
public sealed class SandboxFaults(MigrationRegistry registry, TimeProvider time, ILogger<SandboxFaults> logger)
{
    /// <summary>Who arms the faults read from configuration, as the dashboard and the error messages name them.</summary>
    public const string Configuration = "configuration";

    private const int FiredKept = 5;

    private readonly Lock gate = new();
    private readonly Dictionary<string, SandboxFaultState> states = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Raised with the target's name after its faults were armed, cleared or fired (on the thread that did it).</summary>
    public event Action<string>? Changed;

    /// <summary>The faults of <c>Sandbox:Targets:&lt;name&gt;:Faults</c>, armed by <see cref="Configuration"/>.</summary>
    /// <exception cref="BadInputException">A configured fault names no step or has a batch out of range; the message names the setting.</exception>
    public static SandboxFaults FromConfiguration(IConfiguration configuration, MigrationRegistry registry, TimeProvider time, ILogger<SandboxFaults> logger)
    {
        var faults = new SandboxFaults(registry, time, logger);
        foreach (var target in configuration.GetSection(TargetOptions.SandboxSection).GetChildren())
        {
            var configured = target.GetSection(SandboxFaultOptions.Section).Get<SandboxFaultOptions>()?.ToFaultSet();
            if (configured is null or { IsEmpty: true }) continue;
            try
            {
                faults.Arm(target.Key, configured, Configuration);
            }
            catch (BadInputException e)
            {
                throw new BadInputException($"{TargetOptions.SandboxSection}:{target.Key}:{SandboxFaultOptions.Section}: {e.Message}", e);
            }
        }
        return faults;
    }

    public SandboxFaultState StateOf(string target)
    {
        lock (gate) return states.GetValueOrDefault(target) ?? SandboxFaultState.Empty;
    }

    /// <summary>Replaces the faults armed on <paramref name="target"/> (<see cref="SandboxFaultSet.None"/> clears them).</summary>
    /// <returns>The faults as armed: blank values as none, the step key in lower case.</returns>
    /// <exception cref="BadInputException">See <see cref="SandboxFaultSet.Validated"/>.</exception>
    public SandboxFaultSet Arm(string target, SandboxFaultSet faults, string armedBy)
    {
        var armed = faults.Validated(registry);
        lock (gate) states[target] = StateOf(target) with { Armed = armed, ArmedBy = armedBy, ArmedAt = time.GetUtcNow() };
        logger.LogInformation("Sandbox faults of {Target} set by {User}: {Faults}", target, armedBy, armed.Describe());
        Changed?.Invoke(target);
        return armed;
    }

    /// <returns>The step fault, when it is armed for this step; it is cleared.</returns>
    public FiredSandboxFault? TakeStep(string target, string stepKey) =>
        Take(target, stepKey, armed => string.Equals(armed.Step, stepKey, StringComparison.OrdinalIgnoreCase) ? new SandboxFaultSet(Step: armed.Step) : null);

    /// <returns>The batch fault, when one is armed (any data step takes it); it is cleared.</returns>
    public FiredSandboxFault? TakeBatch(string target, string stepKey) =>
        Take(target, stepKey, armed => armed.Batch is { } batch ? new SandboxFaultSet(Batch: batch) : null);

    /// <returns>The post-check fault, when it is armed for this check; it is cleared.</returns>
    public FiredSandboxFault? TakePostCheck(string target, string checkId) =>
        Take(target, null, armed => string.Equals(armed.PostCheck, checkId, StringComparison.Ordinal) ? new SandboxFaultSet(PostCheck: armed.PostCheck) : null);

    /// <param name="matching">The one fault of the armed set that fires here, or null.</param>
    private FiredSandboxFault? Take(string target, string? stepKey, Func<SandboxFaultSet, SandboxFaultSet?> matching)
    {
        FiredSandboxFault fired;
        lock (gate)
        {
            if (!states.TryGetValue(target, out var state) || matching(state.Armed) is not { } fault) return null;
            fired = new FiredSandboxFault(target, fault, stepKey, state.ArmedBy!, state.ArmedAt!.Value, time.GetUtcNow());
            var rest = new SandboxFaultSet(
                fault.Step is null ? state.Armed.Step : null,
                fault.PostCheck is null ? state.Armed.PostCheck : null,
                fault.Batch is null ? state.Armed.Batch : null);
            states[target] = state with { Armed = rest, Fired = [fired, .. state.Fired.Take(FiredKept - 1)] };
        }
        logger.LogWarning("Sandbox fault fired on {Target}: {Fault}, armed by {User}", target, fired.What, fired.ArmedBy);
        Changed?.Invoke(target);
        return fired;
    }
}
