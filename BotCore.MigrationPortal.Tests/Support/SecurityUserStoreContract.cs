using BotCore.MigrationPortal.Security;
using static BotCore.MigrationPortal.Tests.Support.SecurityTestUsers;

namespace BotCore.MigrationPortal.Tests.Support;

/// <summary>What every <see cref="IUserStore"/> must do, run against each implementation.</summary>
public abstract class SecurityUserStoreContract
{
    private static readonly DateTime At = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly LockoutPolicy Lockout = LockoutPolicy.Default;

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
            var counted = (await store.RecordFailedSignInAsync("ALICE", At.AddSeconds(i), Lockout, Token))!;
            Assert.Equal((i, null), (counted.FailedAttempts, counted.LockedUntil));
        }
        var locked = (await store.RecordFailedSignInAsync("alice", At.AddMinutes(1), Lockout, Token))!;

        Assert.Equal((5, At.AddMinutes(1) + Lockout.Duration), (locked.FailedAttempts, locked.LockedUntil));
        Assert.Equal(locked, await store.FindAsync("alice", Token));
    }

    [Fact]
    public async Task A_failure_during_a_lock_does_not_move_the_lock()
    {
        var store = NewStore();
        var lockedUntil = At.AddMinutes(10);
        await store.TryInsertAsync(User("alice", Role.Approver) with { FailedAttempts = 5, LockedUntil = lockedUntil }, Token);

        var counted = (await store.RecordFailedSignInAsync("alice", At, Lockout, Token))!;

        Assert.Equal((6, lockedUntil), (counted.FailedAttempts, counted.LockedUntil));
    }

    [Fact]
    public async Task A_failure_after_the_lock_ran_out_starts_the_count_again()
    {
        var store = NewStore();
        await store.TryInsertAsync(User("alice", Role.Approver) with { FailedAttempts = 5, LockedUntil = At }, Token);

        var counted = (await store.RecordFailedSignInAsync("alice", At.AddSeconds(1), Lockout, Token))!;

        Assert.Equal((1, null), (counted.FailedAttempts, counted.LockedUntil));
    }

    [Fact]
    public async Task Parallel_failures_are_all_counted()
    {
        var store = NewStore();
        await store.TryInsertAsync(User("alice", Role.Approver), Token);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.RecordFailedSignInAsync("alice", At, Lockout, Token)));

        var alice = (await store.FindAsync("alice", Token))!;
        Assert.Equal((20, At + Lockout.Duration), (alice.FailedAttempts, alice.LockedUntil));
    }

    [Fact]
    public async Task A_failure_for_an_unknown_user_changes_nothing()
    {
        var store = NewStore();

        Assert.Null(await store.RecordFailedSignInAsync("ghost", At, Lockout, Token));
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
}
