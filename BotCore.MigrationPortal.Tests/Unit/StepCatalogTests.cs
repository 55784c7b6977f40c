using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Catalog;
using BotCore.MigrationPortal.Engine.Steps;
using MongoDB.Bson;
using static BotCore.MigrationPortal.Tests.Unit.EngineTestData;

using BotCore.MigrationPortal.Tests.Support;

namespace BotCore.MigrationPortal.Tests.Unit;

/// <summary>What each step does to a catalog: undone by its inverse, idempotent, and refused when it cannot apply.</summary>
public sealed class StepCatalogTests
{
    private const string EmailRequired = "{ $jsonSchema: { bsonType: 'object', required: ['email'] } }";
    private const string EmailAndNameRequired = "{ $jsonSchema: { bsonType: 'object', required: ['email', 'name'] } }";

    /// <summary>users (validator, unique email index), trades (no validator, one index), market_data (time series).</summary>
    private static readonly SchemaCatalog Before = Catalog(
        Collection("users", EmailRequired, Index("idx_users_email_unique", "{ email: 1 }", unique: true)),
        Collection("trades", null, Index("idx_trades_user_created", "{ user_id: 1, created_at: -1 }")),
        TimeSeries("market_data", "open_time", "symbol", "minutes", 7776000)).WithVersion(V("1.0.0"));

    private static readonly CustomStepAction Nothing = (_, _) => Task.FromResult(StepOutcome.AlreadyDone("nothing"));

    private static readonly Dictionary<string, IMigrationStep> Steps = new()
    {
        ["create collection"] = new CreateCollectionStep(Collection("positions")),
        ["create collection with validator"] = new CreateCollectionStep(Collection("accounts", EmailRequired)),
        ["create collection with indexes"] = new CreateCollectionStep(Collection("signals", null,
            Index("idx_signals_id_unique", "{ signal_id: 1 }", unique: true), Index("idx_signals_ttl", "{ created_at: 1 }", ttl: 2592000))),
        ["create time-series collection"] = new CreateCollectionStep(TimeSeries("candles", "open_time", null, "hours", 86400)),
        ["ensure an application collection"] = new EnsureCollectionStep("portfolio_snapshots"),
        ["drop collection"] = new DropCollectionStep(Collection("trades")),
        ["drop collection with validator and indexes"] = new DropCollectionStep(Collection("users")),
        ["drop time-series collection"] = new DropCollectionStep(Collection("market_data"), OnlyIfEmpty: true),
        ["create index"] = new CreateIndexStep("users", Index("idx_users_created", "{ created_at: -1 }")),
        ["create unique index"] = new CreateIndexStep("trades", Index("idx_trades_id_unique", "{ trade_id: 1 }", unique: true)),
        ["create TTL index"] = new CreateIndexStep("trades", Index("idx_trades_ttl", "{ created_at: 1 }", ttl: 31536000)),
        ["drop index"] = new DropIndexStep("users", Index("idx_users_email_unique", "{ email: 1 }")),
        ["drop compound index"] = new DropIndexStep("trades", Index("idx_trades_user_created", "{ user_id: 1 }")),
        ["set validator"] = new SetValidatorStep("trades", BsonDocument.Parse(EmailRequired)),
        ["set validator on a time series"] = new SetValidatorStep("market_data", BsonDocument.Parse(EmailRequired), "moderate", "warn"),
        ["replace validator"] = new SetValidatorStep("users", BsonDocument.Parse(EmailAndNameRequired), "moderate", "warn"),
        ["remove validator"] = new SetValidatorStep("users", null),
        ["rename collection"] = new RenameCollectionStep("users", "accounts"),
        ["add fields"] = new AddFieldsStep("trades", BsonDocument.Parse("{ 'metadata.score': 0.0, fee: NumberDecimal('0.00') }")),
        ["remove fields"] = new RemoveFieldsStep("users", BsonDocument.Parse("{ legacy_field: '' }")),
        ["custom step"] = new CustomStep("fill", Nothing, "empty", Nothing, ["users", "trades"]),
    };

    public static TheoryData<string> StepNames => new(Steps.Keys);

    /// <summary>Every step of every migration of this build, as (version, index of the step).</summary>
    public static TheoryData<string, int> MigrationSteps => new(
        Registry.Migrations.SelectMany(m => m.Steps.Select((_, i) => (m.Version.ToString(), i))).Select(p => new TheoryDataRow<string, int>(p.Item1, p.i)));

    [Theory]
    [MemberData(nameof(StepNames))]
    public void The_inverse_of_a_step_restores_the_catalog_it_started_from(string name)
    {
        var step = Steps[name];

        Assert.Equal(Before, step.Inverse(Before).Apply(step.Apply(Before)).LeftBehindRemoved(Before));
    }

    [Theory]
    [MemberData(nameof(StepNames))]
    public void A_schema_step_changes_the_catalog_and_a_data_step_does_not(string name)
    {
        var step = Steps[name];

        var after = step.Apply(Before);

        if (step.Kind == StepKind.Schema) Assert.NotEqual(Before, after);
        else Assert.Equal(Before, after);
    }

    [Theory]
    [MemberData(nameof(StepNames))]
    public void Applying_a_step_that_is_already_done_changes_nothing(string name)
    {
        var once = Steps[name].Apply(Before);

        Assert.Equal(once, Steps[name].Apply(once));
    }

    [Theory]
    [MemberData(nameof(MigrationSteps))]
    public void Every_step_of_every_migration_is_undone_by_its_inverse(string version, int index)
    {
        var (step, before) = RealStep(version, index);

        Assert.Equal(before, step.Inverse(before).Apply(step.Apply(before)).LeftBehindRemoved(before));
    }

    [Theory]
    [MemberData(nameof(MigrationSteps))]
    public void Every_step_of_every_migration_is_idempotent(string version, int index)
    {
        var (step, before) = RealStep(version, index);
        var once = step.Apply(before);

        Assert.Equal(once, step.Apply(once));
        if (step.Kind == StepKind.Schema) Assert.NotEqual(before, once);
        else Assert.Equal(before, once);
    }

    [Fact]
    public void Dropping_a_collection_is_undone_with_the_definition_it_had_not_the_one_the_step_carries()
    {
        var drop = new DropCollectionStep(Collection("users"));

        var inverse = Assert.IsType<CreateCollectionStep>(drop.Inverse(Before));

        Assert.Equal(Before.Get("users"), inverse.Collection);
        Assert.Single(inverse.Collection.Indexes);
    }

    [Fact]
    public void An_application_collection_is_ensured_as_the_applications_and_its_rollback_leaves_it_with_what_it_holds()
    {
        var ensure = new EnsureCollectionStep("portfolio_snapshots");
        var made = Before.With(CollectionDefinition.Plain("portfolio_snapshots").WithIndex(Index("idx_app", "{ user_id: 1 }")));

        var created = ensure.Apply(Before).Get("portfolio_snapshots");
        var kept = ensure.Apply(made);
        var leave = Assert.IsType<LeaveCollectionStep>(ensure.Inverse(Before));

        Assert.Equal(CollectionOwner.Application, created.Owner);
        Assert.Equal(made, kept);
        Assert.Equal(CollectionOwner.Application, kept.Get("portfolio_snapshots").Owner);
        Assert.Same(kept, leave.Apply(kept));
        Assert.IsType<EnsureCollectionStep>(leave.Inverse(kept));
    }

    [Fact]
    public void Removing_a_validator_is_undone_by_putting_back_the_previous_validator()
    {
        var inverse = Assert.IsType<SetValidatorStep>(new SetValidatorStep("users", null).Inverse(Before));

        Assert.Equal(BsonDocument.Parse(EmailRequired), inverse.Validator);
        Assert.Equal(("strict", "error"), (inverse.ValidationLevel, inverse.ValidationAction));
    }

    [Fact]
    public void Setting_a_validator_keeps_the_time_series_options()
    {
        var after = new SetValidatorStep("market_data", BsonDocument.Parse(EmailRequired)).Apply(Before).Get("market_data");

        Assert.Equal(CollectionType.TimeSeries, after.Type);
        Assert.Equal(Before.Get("market_data").Options.TimeSeries, after.Options.TimeSeries);
        Assert.Equal(7776000, after.Options.ExpireAfterSeconds);
        Assert.Equal(BsonDocument.Parse(EmailRequired), after.Options.Validator);
    }

    [Fact]
    public void Renaming_keeps_the_options_and_indexes()
    {
        var after = new RenameCollectionStep("users", "accounts").Apply(Before);

        Assert.Null(after.Find("users"));
        Assert.Equal(Before.Get("users") with { Name = "accounts" }, after.Get("accounts"));
    }

    [Fact]
    public void Add_and_remove_fields_are_each_others_inverse_with_the_same_fields()
    {
        var fields = BsonDocument.Parse("{ var_95: NumberDecimal('0.00') }");

        var remove = Assert.IsType<RemoveFieldsStep>(new AddFieldsStep("trades", fields).Inverse(Before));
        var add = Assert.IsType<AddFieldsStep>(remove.Inverse(Before));

        Assert.Equal(("trades", fields), (remove.CollectionName, remove.Fields));
        Assert.Equal(("trades", fields), (add.CollectionName, add.Defaults));
    }

    [Fact]
    public void The_inverse_of_a_custom_step_runs_its_down_under_the_down_description()
    {
        CustomStepAction up = (_, _) => Task.FromResult(StepOutcome.Done("up"));
        CustomStepAction down = (_, _) => Task.FromResult(StepOutcome.Done("down"));
        var step = new CustomStep("create accounts", up, "delete accounts", down, ["users"]);

        var inverse = Assert.IsType<CustomStep>(step.Inverse(Before));

        Assert.Equal(("delete accounts", "create accounts"), (inverse.Description, inverse.DownDescription));
        Assert.Same(down, inverse.Up);
        Assert.Same(up, inverse.Down);
        Assert.Equal(["users"], inverse.Collections);
    }

    public static TheoryData<string> ConflictNames => new(Conflicts.Keys);

    private static readonly Dictionary<string, (IMigrationStep Step, string Message)> Conflicts = new()
    {
        ["create collection existing with another validator"] =
            (new CreateCollectionStep(Collection("users", EmailAndNameRequired)), "already exists with other options"),
        ["create collection existing without a validator"] =
            (new CreateCollectionStep(Collection("users")), "already exists with other options"),
        ["create plain collection existing as a time series"] =
            (new CreateCollectionStep(Collection("market_data")), "already exists with other options"),
        ["create time series existing with another granularity"] =
            (new CreateCollectionStep(TimeSeries("market_data", "open_time", "symbol", "hours", 7776000)), "already exists with other options"),
        ["create collection whose index name exists with another key"] =
            (new CreateCollectionStep(Collection("users", EmailRequired, Index("idx_users_email_unique", "{ email: -1 }", unique: true))), "already exists with another definition"),
        ["create index whose name exists with another key"] =
            (new CreateIndexStep("users", Index("idx_users_email_unique", "{ email: -1 }", unique: true)), "already exists with another definition"),
        ["create index whose name exists without unique"] =
            (new CreateIndexStep("users", Index("idx_users_email_unique", "{ email: 1 }")), "already exists with another definition"),
        ["create index whose name exists with a TTL"] =
            (new CreateIndexStep("users", Index("idx_users_email_unique", "{ email: 1 }", unique: true, ttl: 60)), "already exists with another definition"),
        ["create index whose key another index has"] =
            (new CreateIndexStep("users", Index("idx_users_email", "{ email: 1 }")), "index 'idx_users_email_unique' already has the key"),
        ["create index on a missing collection"] =
            (new CreateIndexStep("orders", Index("idx_orders_user", "{ user_id: 1 }")), "collection 'orders' does not exist"),
        ["set validator on a missing collection"] =
            (new SetValidatorStep("orders", BsonDocument.Parse(EmailRequired)), "the collection does not exist"),
        ["rename when both collections exist"] =
            (new RenameCollectionStep("users", "trades"), "both collections exist"),
        ["rename when neither collection exists"] =
            (new RenameCollectionStep("orders", "orders_v2"), "neither collection exists"),
        ["add fields to a missing collection"] =
            (new AddFieldsStep("orders", BsonDocument.Parse("{ fee: 0 }")), "Collection 'orders' does not exist"),
        ["remove fields from a missing collection"] =
            (new RemoveFieldsStep("orders", BsonDocument.Parse("{ fee: 0 }")), "Collection 'orders' does not exist"),
        ["custom step on a missing collection"] =
            (new CustomStep("fill", Nothing, "empty", Nothing, ["users", "orders"]), "Collection 'orders' does not exist"),
    };

    [Theory]
    [MemberData(nameof(ConflictNames))]
    public void A_step_that_cannot_apply_throws_StepConflictException(string name)
    {
        var (step, message) = Conflicts[name];

        var error = Assert.Throws<StepConflictException>(() => step.Apply(Before));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Setting_a_validator_cannot_be_inverted_on_a_missing_collection() =>
        Assert.Throws<StepConflictException>(() => new SetValidatorStep("orders", null).Inverse(Before));

    [Fact]
    public void Creating_an_index_with_the_same_key_but_another_partial_filter_is_allowed()
    {
        var partial = new IndexDefinition("idx_users_email_active", BsonDocument.Parse("{ email: 1 }"),
            partialFilterExpression: BsonDocument.Parse("{ is_active: true }"));

        var after = new CreateIndexStep("users", partial).Apply(Before);

        Assert.Equal(partial, after.Get("users").Indexes["idx_users_email_active"]);
    }

    [Theory]
    [InlineData("users")]
    [InlineData("orders")]
    public void Dropping_an_index_or_collection_that_is_not_there_changes_nothing(string collection)
    {
        Assert.Equal(Before, new DropIndexStep(collection, Index("idx_missing", "{ a: 1 }")).Apply(Before));
        Assert.Equal(Before, new DropCollectionStep(Collection("orders")).Apply(Before));
    }

    [Fact]
    public void Creating_a_collection_that_exists_with_the_same_options_adds_its_missing_indexes()
    {
        var users = Before.Get("users");
        var step = new CreateCollectionStep(users.WithIndex(Index("idx_users_created", "{ created_at: -1 }")));

        var after = step.Apply(Before.With(users.WithoutIndexes()));

        Assert.Equal(["idx_users_created", "idx_users_email_unique"], after.Get("users").Indexes.Keys);
    }

    private static (IMigrationStep Step, SchemaCatalog Before) RealStep(string version, int index)
    {
        var migration = MigrationAt(version);
        var before = migration.Steps.Take(index).Aggregate(Registry.ExpectedCatalogAt(Registry.Previous(migration.Version)), (c, s) => s.Apply(c));
        return (migration.Steps[index], before);
    }
}
