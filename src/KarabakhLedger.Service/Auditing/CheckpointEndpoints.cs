using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace KarabakhLedger.Service.Auditing;

/// <summary>The ledger's signed checkpoints (docs/checkpoints.md), for auditors to keep outside the database.</summary>
public static class CheckpointEndpoints
{
    /// <summary>
    /// The latest checkpoint this node signed, in its text form (<c>text/plain</c>), ready to be saved as a file and
    /// passed to <c>ledger verify --checkpoint</c>. 404 when the node has no signing key.
    /// </summary>
    [WolverineGet("/api/checkpoints/latest", OperationId = "latestCheckpoint")]
    [Authorize(Policy = LedgerPolicies.Audit)]
    public static IResult Latest(CheckpointPublisher publisher) =>
        publisher.Latest is { } checkpoint
            ? TypedResults.Text(checkpoint.Format(), "text/plain; charset=utf-8")
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No checkpoint yet",
                detail: "This node signs checkpoints only when Ledger:Checkpoints:SigningKey names a signing key (ledger key create).");
}
