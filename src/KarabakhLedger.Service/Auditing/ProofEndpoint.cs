using KarabakhLedger.Domain.Validation;
using KarabakhLedger.Ledger.Merkle;
using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Service.Hosting;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace KarabakhLedger.Service.Auditing;

/// <summary>An event's inclusion proof (RFC 9162 §2.1.3), hashes as lower-case hex, the path leaf level first.</summary>
public sealed record InclusionProofView(Guid EventId, long LeafIndex, long TreeSize, string LeafHash, IReadOnlyList<string> Path, string Root);

/// <summary><c>ledger prove</c> over HTTP.</summary>
public static class ProofEndpoint
{
    /// <summary>
    /// The inclusion proof of event <c>eventId</c> in the Merkle log's first <c>size</c> leaves (default: the whole
    /// log), e.g. the size of a checkpoint the caller keeps. The caller checks the path against that checkpoint's root.
    /// </summary>
    [WolverineGet("/api/events/{eventId}/proof", OperationId = "proveEvent")]
    [Authorize(Policy = LedgerPolicies.Audit)]
    public static async Task<IResult> Prove(string eventId, string? size, ILedgerStore store, CancellationToken cancellationToken)
    {
        var id = QueryParameters.EventId(eventId);
        var treeSize = QueryParameters.Number(size, "size", 1, long.MaxValue);
        try
        {
            var proof = await EventProofs.ProveAsync(store, id, treeSize, cancellationToken);
            return TypedResults.Ok(new InclusionProofView(
                id, proof.LeafIndex, proof.TreeSize, Convert.ToHexStringLower(proof.LeafHash),
                [.. proof.Path.Select(Convert.ToHexStringLower)], Convert.ToHexStringLower(proof.Root)));
        }
        catch (ProofUnavailableException e)
        {
            return e.Failure switch
            {
                ProofFailure.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such event", detail: e.Message),
                ProofFailure.OutOfRange or ProofFailure.RecordedLater => throw new LedgerValidationException("size", e.Message),
                _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The ledger was altered", detail: e.Message),
            };
        }
    }
}
