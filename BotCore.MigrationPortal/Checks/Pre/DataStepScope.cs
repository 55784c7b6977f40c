using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Checks.Pre;

/// <summary>The documents a data step will process: which collection, which of its documents, and in words.</summary>
internal sealed record DataStepScope(string Collection, FilterDefinition<BsonDocument> Filter, string Which)
{
    /// <summary>The scope of a data step the portal knows how to measure; null for other steps.</summary>
    public static DataStepScope? Of(IMigrationStep step)
    {
        return step switch
        {
            AddFieldsStep add => new(add.CollectionName, add.Pending, $"lack one of {string.Join(", ", add.Defaults.Names)}"),
            RemoveFieldsStep remove => new(remove.CollectionName, remove.Pending,
                $"have one of {string.Join(", ", remove.Fields.Names)}" + (remove.OnlyWhereDefault ? " at its default value" : "")),
            CopyFieldStep copy => new(copy.CollectionName, copy.Pending, $"have {copy.From} and lack {copy.To}"),
            RemoveFieldCopyStep remove => new(remove.CollectionName, remove.Pending,
                $"have {remove.Field} and {remove.KeptIn}" + (remove.OnlyWhereEqual ? " holding the same value" : "")),
            // A custom step's code is opaque: its first declared collection stands for what it walks, an indication of its work.
            CustomStep { Collections.Count: > 0 } custom => new(custom.Collections[0], FilterDefinition<BsonDocument>.Empty, "exist (all of them)"),
            _ => null,
        };
    }
}
