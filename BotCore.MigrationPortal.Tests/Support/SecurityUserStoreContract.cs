using BotCore.MigrationPortal.Security;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>What every <see cref="IUserStore"/> must do, run against each implementation.</summary>
public abstract class SecurityUserStoreContract
{
    private static readonly DateTime At = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly LockoutPolicy Lockout = LockoutPolicy.Default;
    private const string Client = "203.0.113.9";

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract IUserStore NewStore();

    [Fact]
    public async Task A_user_is_found_by_name_regardless_of_case_and_reads_back_unchanged()
    {
        var store = NewStore();
        var alice = User("Alice", Role.Approver) with { FailedAttempts = 2, LockedUntil = At };

        Assert.True(await store.TryInsertAsync(alice, Token));

        Assert.Equal(alice, await store.FindAsync("alice", Token));
        Assert.Equal(alice, await store.FindAsync("ALICE", Token));
        Assert.Null(await store.FindAsync("bob", Token));
    }

    [Fact]
    public async Task A_name_taken_in_any_case_cannot_be_inserted_again()
    {
        var store = NewStore();
        Assert.True(await store.TryInsertAsync(User("alice", Role.Approver), Token));

        Assert.False(await store.TryInsertAsync(User("ALICE", Role.Admin), Token));

        Assert.Equal(Role.Approver, (await store.FindAsync("alice", Token))!.Role);
    }

    [Fact]
    public async Task Users_are_listed_by_name_regardless_of_case()
    {
        var store = NewStore();
        foreach (var name in new[] { "victor", "Bob", "alice" }) Assert.True(await store.TryInsertAsync(User(name, Role.Viewer), Token));

        Assert.Equal(["alice", "Bob", "victor"], (await store.ListAsync(Token)).Select(u => u.Name));
    }

    [Fact]
    public async Task Replace_stores_the_new_state_of_an_existing_user()
    {
        var store = NewStore();
        var olga = User("olga", Role.Operator);
        await store.TryInsertAsync(olga, Token);

        await store.ReplaceAsync(olga with { Role = Role.Approver, Disabled = true }, Token);

        Assert.Equal(olga with { Role = Role.Approver, Disabled = true }, await store.FindAsync("OLGA", Token));
    }

    [Fact]
    public async Task Failed_sign_ins_are_counted_and_the_limit_locks_for_the_lockout_duration()
    {
        var store = NewStore();
        await store.TryInsertAsync(User("alice", Role.Approver), Token);

        for (var i = 1; i < Lockout.MaxFailedAttempts; i++)
        {
            var counted = (await store.RecordFailedSignInAsync("ALICE", Client, At.AddSeconds(i), Lockout, Token))!;
            Assert.Equal((i, null), (counted.FailedAttempts, counted.LockedUntil));
        }
        var locked = (await store.RecordFailedSignInAsync("alice", Client, At.AddMinutes(1), Lockout, Token))!;

        Assert.Equal((5, At.AddMinutes(1) + Lockout.Duration), (locked.FailedAttempts, locked.LockedUntil));
        Assert.Equal(locked, await store.FindAsync("alice", Token));
    }

    [Fact]
    public async Task A_failure_during_a_lock_does_not_move_the_lock()
    {
        var store = NewStore();
        var lockedUntil = At.AddMinutes(10);
        await store.TryInsertAsync(User("alice", Role.Approver) with { FailedAttempts = 5, LockedUntil = lockedUntil }, Token);

        var counted = (await store.RecordFailedSignInAsync("alice", Client, At, Lockout, Token))!;

        Assert.Equal((6, lockedUntil), (counted.FailedAttempts, counted.LockedUntil));
    }

    [Fact]
    public async Task A_failure_after_the_lock_ran_out_starts_the_count_again()
    {
        var store = NewStore();
        await store.TryInsertAsync(User("alice", Role.Approver) with { FailedAttempts = 5, LockedUntil = At }, Token);

        var counted = (await store.RecordFailedSignInAsync("alice", Client, At.AddSeconds(1), Lockout, Token))!;

        Assert.Equal((1, null), (counted.FailedAttempts, counted.LockedUntil));
    }

    [Fact]
    public async Task Parallel_failures_are_all_counted()
    {
        var store = NewStore();
        await store.TryInsertAsync(User("alice", Role.Approver), Token);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.RecordFailedSignInAsync("alice", Client, At, Lockout, Token)));

        var alice = (await store.FindAsync("alice", Token))!;
        Assert.Equal((20, At + Lockout.Duration), (alice.FailedAttempts, alice.LockedUntil));
    }

    [Fact]
    public async Task A_failure_for_an_unknown_user_changes_nothing()
    {
        var store = NewStore();

        Assert.Null(await store.RecordFailedSignInAsync("ghost", Client, At, Lockout, Token));
        Assert.Empty(await store.ListAsync(Token));
    }

    [Fact]
    public async Task Clearing_failed_sign_ins_lifts_the_lock_and_leaves_the_rest()
    {
        var store = NewStore();
        var alice = User("alice", Role.Approver, disabled: true) with { FailedAttempts = 5, LockedUntil = At };
        await store.TryInsertAsync(alice, Token);

        await store.ClearFailedSignInsAsync("Alice", Token);

        Assert.Equal(alice with { FailedAttempts = 0, LockedUntil = null }, await store.FindAsync("alice", Token));
    }

    [Fact]
    public async Task Each_failure_remembers_its_address_and_a_count_that_starts_again_forgets_them()
    {
        var store = NewStore();
        await store.TryInsertAsync(User("alice", Role.Approver), Token);

        await store.RecordFailedSignInAsync("alice", "203.0.113.1", At, Lockout, Token);
        var counted = (await store.RecordFailedSignInAsync("alice", "203.0.113.2", At, Lockout, Token))!;
        Assert.Equal(["203.0.113.1", "203.0.113.2"], counted.FailingClients);

        await store.ClearFailedSignInsAsync("alice", Token);
        Assert.Empty((await store.FindAsync("alice", Token))!.FailingClients);
    }

    private static string Other(int i) => $"198.51.{i / 256}.{i % 256}";

    [Fact]
    public async Task During_a_lock_no_failing_address_is_forgotten_however_many_others_fail()
    {
        var store = NewStore();
        await store.TryInsertAsync(User("alice", Role.Approver), Token);
        for (var i = 0; i < Lockout.MaxFailedAttempts; i++) await store.RecordFailedSignInAsync("alice", Client, At, Lockout, Token);

        for (var i = 1; i <= LockoutPolicy.RememberedClients + 20; i++) await store.RecordFailedSignInAsync("alice", Other(i), At, Lockout, Token);

        var alice = (await store.FindAsync("alice", Token))!;
        Assert.Equal(Client, alice.FailingClients[0]);
        Assert.True(LockoutPolicy.IsLockedFor(alice, Client, At));
    }

    [Fact]
    public async Task Each_address_is_remembered_once_and_once_the_list_is_full_the_lock_holds_for_every_address()
    {
        var store = NewStore();
        await store.TryInsertAsync(User("alice", Role.Approver), Token);
        for (var i = 0; i < Lockout.MaxFailedAttempts; i++) await store.RecordFailedSignInAsync("alice", Client, At, Lockout, Token);
        Assert.False(LockoutPolicy.IsLockedFor((await store.FindAsync("alice", Token))!, "192.0.2.1", At));

        for (var i = 1; i < LockoutPolicy.RememberedClients + 5; i++) await store.RecordFailedSignInAsync("alice", Other(i), At, Lockout, Token);

        var alice = (await store.FindAsync("alice", Token))!;
        Assert.Equal([Client, .. Enumerable.Range(1, LockoutPolicy.RememberedClients - 1).Select(Other)], alice.FailingClients);
        Assert.Equal(Lockout.MaxFailedAttempts + LockoutPolicy.RememberedClients + 4, alice.FailedAttempts);
        Assert.True(LockoutPolicy.IsLockedFor(alice, "192.0.2.1", At));
        Assert.False(LockoutPolicy.IsLockedFor(alice, "192.0.2.1", alice.LockedUntil!.Value));
    }

    [Fact]
    public async Task A_new_security_stamp_changes_nothing_else()
    {
        var store = NewStore();
        var alice = User("alice", Role.Approver) with { FailedAttempts = 2 };
        await store.TryInsertAsync(alice, Token);

        await store.RotateSecurityStampAsync("ALICE", Token);

        var rotated = (await store.FindAsync("alice", Token))!;
        Assert.NotEqual(alice.SecurityStamp, rotated.SecurityStamp);
        Assert.Equal(alice, rotated with { SecurityStamp = alice.SecurityStamp });
    }
}
