using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Checkpoints;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Verification;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace KarabakhLedger.Service.Auditing;

/// <summary>A checkpoint to verify the ledger against, in its text form, and the public key (PEM) it must be signed with.</summary>
public sealed record VerifyRequest(string? Checkpoint, string? PublicKey);

/// <summary>
/// <c>ledger verify</c> over HTTP, with the same report as the CLI. Answers 200 either way; <c>intact</c> says whether
/// every check held, <c>firstBroken</c> names the first broken link of a chain (a malformed row included), and with a
/// checkpoint <c>checkpoint.firstChange</c> names the first leaf that differs from it and the kind of change.
/// </summary>
public static class VerifyEndpoint
{
    [WolverineGet("/api/verify", OperationId = "verifyLedger")]
    [Authorize(Policy = LedgerPolicies.Audit)]
    public static Task<VerificationReport> Verify(ILedgerStore store, CancellationToken cancellationToken) =>
        ChainVerifier.VerifyAsync(store, cancellationToken: cancellationToken);

    /// <summary>
    /// Verifies against the checkpoint in the body. Without <c>publicKey</c>, the public half of this node's own signing
    /// key is used; an auditor who does not trust the node sends the key they were given.
    /// </summary>
    [WolverinePost("/api/verify", OperationId = "verifyLedgerAgainstCheckpoint")]
    [Authorize(Policy = LedgerPolicies.Audit)]
    public static Task<VerificationReport> VerifyAgainst(VerifyRequest request, ILedgerStore store, CheckpointSigner signer, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        Checkpoint? checkpoint = null;
        try
        {
            checkpoint = string.IsNullOrEmpty(request.Checkpoint)
                ? throw new FormatException("is required: the text of a checkpoint (ledger checkpoint, GET /api/checkpoints/latest)")
                : Checkpoint.Parse(request.Checkpoint);
        }
        catch (FormatException e)
        {
            errors.Add(new ValidationError("checkpoint", e.Message));
        }

        LedgerVerifyingKey? key = null;
        try
        {
            key = request.PublicKey is { Length: > 0 } pem
                ? LedgerVerifyingKey.Parse(pem, "the value")
                : signer.Key?.Public ?? throw new InvalidDataException("is required: this node has no signing key of its own (Ledger:Checkpoints:SigningKey)");
        }
        catch (InvalidDataException e)
        {
            errors.Add(new ValidationError("publicKey", e.Message));
        }

        return errors.Count > 0
            ? throw new LedgerValidationException(errors)
            : CheckpointVerifier.VerifyAsync(store, checkpoint!, key!, cancellationToken);
    }
}
