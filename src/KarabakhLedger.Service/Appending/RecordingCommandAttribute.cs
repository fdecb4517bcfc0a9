using JasperFx.CodeGeneration;
using KarabakhLedger.Service.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace KarabakhLedger.Service.Appending;

/// <summary>
/// What every command endpoint declares, in one place: the <see cref="LedgerPolicies.Record"/> policy, a JSON body with
/// the OpenAPI schema of <paramref name="body"/>, and its answers (201/200 <see cref="RecordedResponse"/>, 400, 409, 413 problems).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RecordingCommandAttribute(CommandBody body) : ModifyHttpChainAttribute
{
    public CommandBody Body { get; } = body;

    public override void Modify(HttpChain chain, GenerationRules rules) =>
        chain.Metadata
            .RequireAuthorization(LedgerPolicies.Record)
            .WithMetadata(new ConsumesAttribute("application/json"))
            .Produces<RecordedResponse>(StatusCodes.Status201Created)
            .Produces<RecordedResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .AddOpenApiOperationTransformer(CommandSchemas.Transformer(Body));
}
