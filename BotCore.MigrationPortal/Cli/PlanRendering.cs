using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Planning;
using BotCore.MigrationPortal.Text;
using MongoDB.Bson;

namespace BotCore.MigrationPortal.Cli;

/// <summary>A plan as text for people and as relaxed Extended JSON for pipelines.</summary>
public static class PlanRendering
{
    public static void WriteText(MigrationPlan plan, TextWriter output)
    {
        if (plan.IsEmpty)
        {
            output.WriteLine($"Nothing to do: {plan.From} is already {plan.To}.");
            return;
        }
        output.WriteLine($"Plan {plan.From} → {plan.To} ({plan.Direction.Name()}), {Counted.Of(plan.Migrations.Count, "migration")}:");
        foreach (var migration in plan.Migrations)
        {
            output.WriteLine();
            output.WriteLine($"{migration.Version} {migration.Direction.Name()}: {migration.Migration.Description}");
            output.WriteLine($"  source {migration.Migration.SourceFileName}, checksum {migration.Migration.Checksum}");
            foreach (var step in migration.Steps)
            {
                output.WriteLine($"  {step.Number,2}. {step.Step.Description}");
                foreach (var change in step.Changes) output.WriteLine($"      {change.DescribeAsChange()}");
                if (step.Step.Kind == Engine.Steps.StepKind.Data) output.WriteLine("      changes documents (in batches), not the catalog");
            }
            output.WriteLine($"  then sets the schema version to {migration.To}");
        }
    }

    public static BsonDocument ToBson(MigrationPlan plan) => new()
    {
        { "from", plan.From.ToString() },
        { "to", plan.To.ToString() },
        { "direction", plan.Direction.Name() },
        {
            "migrations", new BsonArray(plan.Migrations.Select(m => new BsonDocument
            {
                { "version", m.Version.ToString() },
                { "direction", m.Direction.Name() },
                { "description", m.Migration.Description },
                { "source", m.Migration.SourceFileName },
                { "checksum", m.Migration.Checksum },
                { "resultingVersion", m.To.ToString() },
                {
                    "steps", new BsonArray(m.Steps.Select(s => new BsonDocument
                    {
                        { "number", s.Number },
                        { "kind", s.Step.Kind.ToString().ToLowerInvariant() },
                        { "description", s.Step.Description },
                        { "changes", new BsonArray(s.Changes.Select(c => c.DescribeAsChange())) },
                    }))
                },
            }))
        },
    };

    public static string ToJson(MigrationPlan plan) => ToBson(plan).ToJson(CatalogJson.Relaxed);
}
