using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>
/// A test person: a <see cref="Caller"/> where a service is called on their behalf, an <see cref="Actor"/> where a pure rule
/// is asked. Their security stamp is fixed, so that a session made for them in a test holds until the test changes it.
/// </summary>
public sealed record TestPerson(string Name, Role Role)
{
    public string SecurityStamp => StampOf(Name);

    public static string StampOf(string name) => $"stamp-{name.ToLowerInvariant()}";

    public PortalUser User => new() { Name = Name, Role = Role, PasswordHash = "-", CreatedBy = "test", SecurityStamp = SecurityStamp };

    public static implicit operator Caller(TestPerson person) => new UserCaller(person.Name);

    public static implicit operator Actor(TestPerson person) => new(person.Name, person.Role);
}

/// <summary>The people of the portal tests: an Operator, two Approvers (four eyes), an Admin and a Viewer.</summary>
public static class TestPeople
{
    public static TestPerson Olga { get; } = new("olga", Role.Operator);
    public static TestPerson Alice { get; } = new("alice", Role.Approver);
    public static TestPerson Bob { get; } = new("bob", Role.Approver);
    public static TestPerson Ada { get; } = new("ada", Role.Admin);
    public static TestPerson Victor { get; } = new("victor", Role.Viewer);

    public static IReadOnlyList<TestPerson> All { get; } = [Olga, Alice, Bob, Ada, Victor];

    /// <summary>A user store holding the test people.</summary>
    public static InMemoryUserStore NewStore()
    {
        var store = new InMemoryUserStore();
        foreach (var person in All)
        {
            var added = store.TryInsertAsync(person.User, CancellationToken.None);
            if (!added.IsCompletedSuccessfully || !added.Result) throw new InvalidOperationException($"Could not add {person.Name}.");
        }
        return store;
    }
}
