using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Steps;

namespace BotCore.MigrationPortal.Targets.Sandbox;

/// <summary>
/// How many documents the collections of a simulated target hold (<c>Sandbox:Targets:&lt;name&gt;:Documents:&lt;collection&gt;</c>; a collection
/// not named holds none) and how fast its data steps walk through them (<c>Sandbox:DocumentsPerSecond</c>), so that batch progress, rate, ETA,
/// a pause and a checkpoint resume can be watched without MongoDB.
/// </summary>
public sealed record SimulatedVolume(IReadOnlyDictionary<string, long> Documents, double DocumentsPerSecond)
{
    public const string RateKey = "Sandbox:DocumentsPerSecond";

    /// <summary>250,000 users take 5 s: long enough to watch, short enough for a demo.</summary>
    public const double DefaultDocumentsPerSecond = 50_000;

    /// <summary>No documents anywhere: data steps see none and say so.</summary>
    public static SimulatedVolume None { get; } = new(new Dictionary<string, long>(), DefaultDocumentsPerSecond);

    /// <summary>
    /// The documents a data step walks through: those of the first collection it touches, which is the one the spec's data steps page
    /// through (1.1.0 pages users to create accounts).
    /// </summary>
    public long Of(IMigrationStep step) => step.Touches.Count > 0 && Documents.TryGetValue(step.Touches[0], out var count) ? count : 0;

    /// <exception cref="BadInputException">A count below zero, or a rate that is not above zero.</exception>
    public SimulatedVolume Validated(string target) =>
        DocumentsPerSecond is <= 0 or double.NaN or double.PositiveInfinity
            ? throw new BadInputException($"{RateKey} must be a number of documents per second above 0 (it is {DocumentsPerSecond}).")
            : Documents.FirstOrDefault(pair => pair.Value < 0) is { Key: { } negative, Value: var count }
                ? throw new BadInputException($"Sandbox target '{target}': Documents:{negative} is {count}; a collection holds 0 documents or more.")
                : this;
}
