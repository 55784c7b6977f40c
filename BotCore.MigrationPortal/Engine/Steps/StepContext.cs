using BotCore.MigrationPortal.Engine.Batching;
using BotCore.MigrationPortal.Engine.Running;
using Microsoft.Extensions.Logging;
using MongoDB.Driver;

namespace BotCore.MigrationPortal.Engine.Steps;

/// <summary>What a step executing against MongoDB gets: the database, the batching helper, progress, a logger and the clock.</summary>
public sealed record StepContext(
    IMongoDatabase Database,
    BatchProcessor Batches,
    StepReporter Reporter,
    ILogger Logger,
    TimeProvider Time);
