using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Phases;
using BotCore.MigrationPortal.Engine.Planning;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Pre;

/// <summary>
/// The gate of a contract phase the plan applies (<see cref="ContractGate"/>): blocking, so the run's checklist, the CLI's gates and the
/// API all refuse the contract with the same sentence until its expand has soaked on this target and no document lacks the new field.
/// </summary>
internal sealed class ContractGateCheck(RegisteredMigration contract, ContractGate gate) : IIntegrityCheck
{
    public const string IdPrefix = "pre.contract-gate:";

    private readonly ExpandContractPhase phase = contract.Phase is { Kind: PhaseKind.Contract } declared
        ? declared
        : throw new ArgumentException($"Migration {contract.Version} is not a contract phase.", nameof(contract));

    public CheckDescriptor Descriptor { get; } = new($"{IdPrefix}{contract.Version}",
        $"Contract {contract.Version} may run: expand {contract.Phase!.Follows} applied and soaked, no document of {contract.Phase.Collection} lacks {contract.Phase.NewField}",
        $"'{contract.Phase.Change}': the expand is applied on this target, at least the soak has passed since (from the target's changelog), and " +
        $"{{ {contract.Phase.NewField}: {{ $exists: false }} }} matches no document of {contract.Phase.Collection}, nor does a {contract.Phase.OldField} " +
        $"that differs from {contract.Phase.NewField}.",
        CheckPhase.PreMigration, CheckSeverity.Blocking);

    /// <summary>The contracts an up plan applies, each gated; undoing a contract (down) is not.</summary>
    public static IEnumerable<PlannedMigration> ContractsOf(MigrationPlan plan) =>
        plan.Migrations.Where(m => m.Direction == Direction.Up && m.Migration.Phase?.Kind == PhaseKind.Contract);

    /// <summary>The id of a contract's gate, for running it alone.</summary>
    public static string IdOf(PlannedMigration contract) => $"{IdPrefix}{contract.Version}";

    /// <summary>One check per contract an up plan applies.</summary>
    public static IEnumerable<IIntegrityCheck> For(MigrationPlan plan, ContractGate gate) =>
        ContractsOf(plan).Select(m => (IIntegrityCheck)new ContractGateCheck(m.Migration, gate));

    public async Task<CheckFinding> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var history = await context.Target.ReadHistoryAsync(cancellationToken);
        var applied = ContractGate.AppliedAt(phase.Follows!.Value, history) is not null;
        // The documents are read only once the expand is in: before, every document lacks the new field and says nothing new.
        var gap = applied ? await GapAsync(context, cancellationToken) : null;
        if (applied && gap is null)
        {
            return CheckFinding.Fail($"target {context.Target.Name} gives no access to a MongoDB database, so the documents lacking {phase.NewField} cannot be counted");
        }
        var verdict = gate.Evaluate(phase, context.Target.Name, history, gap);
        return verdict switch
        {
            { Allowed: true } when gap!.Simulated => CheckFinding.Simulated(verdict.Summary),
            { Allowed: true } => CheckFinding.Pass(verdict.Summary, verdict.Evidence),
            _ => CheckFinding.Fail(verdict.Summary, verdict.Evidence),
        };
    }

    /// <summary>
    /// MongoDB: <c>countDocuments({ new: { $exists: false } })</c> and the first five such <c>_id</c>s (<c>find(…).projection({ _id: 1 }).limit(5)</c>);
    /// the same for <c>{ old: { $exists: true }, new: { $exists: true }, $expr: { $ne: ["$old", "$new"] } }</c> (aggregation <c>$ne</c>
    /// compares numbers by value across types). A simulated target holds no documents (null for a target that gives no database).
    /// </summary>
    private async Task<FieldGap?> GapAsync(CheckContext context, CancellationToken cancellationToken)
    {
        if (context.Database is not { } database) return context.Target.IsSandbox ? new FieldGap(0, [], Simulated: true) : null;
        if (!context.Exists(phase.Collection)) return FieldGap.None;
        var collection = database.GetCollection<BsonDocument>(phase.Collection);
        var filter = Builders<BsonDocument>.Filter;
        var (count, sample) = await CountWithSampleAsync(collection, filter.Exists(phase.NewField, false), cancellationToken);
        var diverged = filter.Exists(phase.OldField) & filter.Exists(phase.NewField) &
            new BsonDocument("$expr", new BsonDocument("$ne", new BsonArray { "$" + phase.OldField, "$" + phase.NewField }));
        var (divergedCount, divergedSample) = await CountWithSampleAsync(collection, diverged, cancellationToken);
        return new FieldGap(count, sample) { Diverged = divergedCount, DivergedSampleIds = divergedSample };
    }

    private static async Task<(long Count, IReadOnlyList<string> SampleIds)> CountWithSampleAsync(IMongoCollection<BsonDocument> collection,
        FilterDefinition<BsonDocument> filter, CancellationToken cancellationToken)
    {
        var count = await collection.CountDocumentsAsync(filter, cancellationToken: cancellationToken);
        if (count == 0) return (0, []);
        var sample = await collection.Find(filter).Project(Builders<BsonDocument>.Projection.Include("_id")).Limit(SampleSize).ToListAsync(cancellationToken);
        return (count, sample.Select(document => document["_id"].ToString()!).ToList());
    }

    private const int SampleSize = 5;
}
