using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Store;

namespace KarabakhLedger.Ledger.Tests.Failures;

/// <summary>The one telling of the ledger's failures that the CLI prints and the HTTP API puts in its problem details.</summary>
public sealed class LedgerFailureTests
{
    [Fact]
    public void A_refusal_says_that_nothing_was_written_only_for_a_write_and_lists_each_field()
    {
        var refused = new LedgerValidationException([new ValidationError("type", "must be a known type"), new ValidationError("sources", "must not be empty")]);

        var write = LedgerFailure.Of(refused, writes: true)!;
        var read = LedgerFailure.Of(refused, writes: false)!;

        Assert.Equal(LedgerFailureKind.InvalidInput, write.Kind);
        Assert.Equal(["error: the input was refused; nothing was written.", "  type: must be a known type", "  sources: must not be empty"], write.Lines());
        Assert.Equal("The input was refused; nothing was written.", write.Title);
        Assert.Equal(["error: the request was refused.", "  type: must be a known type", "  sources: must not be empty"], read.Lines());
        Assert.Equal("The request was refused.", read.Title);
    }

    [Fact]
    public void A_conflict_names_the_versions_and_says_that_nothing_was_written()
    {
        var failure = LedgerFailure.Of(new WrongExpectedVersionException("ARM-AZE", ExpectedVersion.Exactly(2), 3), writes: true)!;

        Assert.Equal(LedgerFailureKind.Conflict, failure.Kind);
        Assert.Equal("The dyad stream is not at the expected version; nothing was written.", failure.Title);
        Assert.Equal("The stream is at version 3, not the expected 2: reload it and try again.", failure.Detail);
        Assert.Equal(2, failure.Lines().Count());
    }

    [Fact]
    public void A_taken_event_id_and_an_unreachable_store_are_told_in_their_own_words()
    {
        var id = Guid.Parse("0b5e3f2a-1c1d-4a35-9a51-3f7c1d1e2a10");
        var taken = LedgerFailure.Of(new EventIdConflictException(id, "is already on stream ARM-AZE"), writes: true)!;
        var unreachable = LedgerFailure.Of(new LedgerStoreUnavailableException("Cannot reach PostgreSQL at 127.0.0.1:1: connection refused"), writes: false)!;

        Assert.Equal((LedgerFailureKind.Conflict, $"Event {id} is already on stream ARM-AZE."), (taken.Kind, taken.Detail));
        Assert.Equal(LedgerFailureKind.Unavailable, unreachable.Kind);
        Assert.Equal(["error: Cannot reach PostgreSQL at 127.0.0.1:1: connection refused"], unreachable.Lines());
    }

    [Fact]
    public void Anything_else_is_not_the_ledger_s_to_tell()
    {
        Assert.Null(LedgerFailure.Of(new InvalidOperationException("a bug"), writes: true));
        Assert.Null(LedgerFailure.Of(new IOException("disk"), writes: false));
    }
}
