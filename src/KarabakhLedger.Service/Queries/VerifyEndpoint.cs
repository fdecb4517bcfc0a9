using KarabakhLedger.Ledger.Store;
using KarabakhLedger.Ledger.Verification;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace KarabakhLedger.Service.Queries;

/// <summary>
/// <c>ledger verify</c> over HTTP: re-checks every stream's hash chain. Answers 200 either way; <c>intact</c> says
/// whether every link held, and <c>firstBroken</c> names the first that did not.
/// </summary>
public static class VerifyEndpoint
{
    [WolverineGet("/api/verify", OperationId = "verifyLedger")]
    [Authorize(Policy = LedgerPolicies.Audit)]
    public static Task<VerificationReport> Verify(ILedgerStore store, CancellationToken cancellationToken) =>
        ChainVerifier.VerifyAsync(store, cancellationToken: cancellationToken);
}
