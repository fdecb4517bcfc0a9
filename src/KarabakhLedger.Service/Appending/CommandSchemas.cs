using System.Text.Json;
using System.Text.Json.Nodes;
using KarabakhLedger.Domain.Actors;
using KarabakhLedger.Domain.Cameo;
using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Interactions;
using KarabakhLedger.Domain.Recording;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace KarabakhLedger.Service.Appending;

/// <summary>
/// The commands' OpenAPI request bodies: schemas of the recording format with <see cref="Domain.Recording.RecordingParser"/>'s
/// rules, closed sets read once from the domain's data (event types, CAMEO table, actor registry, enums), and an example each.
/// </summary>
internal static class CommandSchemas
{
    private const string ActorCode = "ActorCode";
    private const string CameoCode = "CameoCode";
    private const string InteractionType = "InteractionType";
    private const string PartialDate = "PartialDate";
    private const string Source = "RecordingSource";
    private const string Figure = "RecordingFigure";

    private static readonly string[] InteractionTypes = [.. EventTypes.Interactions.Select(t => t.Name)];
    private static readonly string[] CameoCodes = [.. CameoCatalog.Default.All.Select(e => e.Code).Order(StringComparer.Ordinal)];
    private static readonly string[] Theatres = KebabNames<Theatre>();
    private static readonly string[] Agreements = KebabNames<AgreementKind>();
    private static readonly string[] Stances = KebabNames<SanctionsStance>();
    private static readonly string AgreementSignedType = TypeName(typeof(AgreementSigned));
    private static readonly string SanctionsStanceType = TypeName(typeof(SanctionsStanceTaken));

    private static string SchemaId(CommandBody body) => body switch
    {
        CommandBody.Interaction => "InteractionBody",
        CommandBody.MultilateralAct => "MultilateralActBody",
        CommandBody.Correction => "CorrectionBody",
        CommandBody.Retraction => "RetractionBody",
        CommandBody.Merge => "MergeBody",
        _ => throw new ArgumentOutOfRangeException(nameof(body), body, null),
    };

    /// <summary>An operation transformer that gives the operation the request body of <paramref name="body"/>.</summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> Transformer(CommandBody body) =>
        (operation, context, _) =>
        {
            Describe(operation, body, context.Document ?? throw new InvalidOperationException("The operation has no OpenAPI document."));
            return Task.CompletedTask;
        };

    /// <summary>Sets the required JSON request body of <paramref name="operation"/>, adding the schemas to <paramref name="document"/> once.</summary>
    private static void Describe(OpenApiOperation operation, CommandBody body, OpenApiDocument document)
    {
        if (document.Components?.Schemas?.ContainsKey(SchemaId(body)) != true)
        {
            foreach (var (id, schema) in Components(document))
            {
                document.AddComponent(id, schema);
            }
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "One object of the recording format (docs/recording-format.md).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = Ref(SchemaId(body), document), Example = CommandExamples.For(body) },
            },
        };
    }

    private static Dictionary<string, IOpenApiSchema> Components(OpenApiDocument document) => new()
    {
        [ActorCode] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MinLength = 1,
            MaxLength = TextLimits.ActorText,
            Description = "An actor of the actor registry (`ledger actors`, `GET /api/actors`): a code (TUR, NATO, a CAMEO sector code such as TURMIL) "
                + "or a name (Türkiye, Turkey), case- and accent-insensitive. Stored as the canonical code.",
        },
        [CameoCode] = Enum(CameoCodes, "A CAMEO code from cameo_goldstein.tsv, as a string: \"010\" and \"10\" differ."),
        [InteractionType] = Enum(InteractionTypes, "The kind of interaction."),
        [PartialDate] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Pattern = "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$",
            Description = "YYYY, YYYY-MM or YYYY-MM-DD, a real date: the precision the source supports, never an invented day.",
        },
        [Source] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "outlet and title; then url with accessed, or document (a seed document id) with passage.",
            Properties = Properties(RecordingFields.Source.Names, name => name switch
            {
                "outlet" or "document" => Text(TextLimits.Name),
                "title" => Text(TextLimits.Title),
                "url" => new OpenApiSchema
                {
                    Type = JsonSchemaType.String, Format = "uri", MaxLength = TextLimits.Text, Pattern = "^[Hh][Tt][Tt][Pp][Ss]?://",
                    Description = "An absolute http or https URL.",
                },
                "accessed" => new OpenApiSchema
                {
                    Type = JsonSchemaType.String, Format = "date", Pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                    Description = "The day the page was read.",
                },
                "passage" => Text(TextLimits.Text),
                _ => null,
            }),
            Required = Required(RecordingFields.Source),
            AnyOf = [Requiring("url"), Requiring("document")],
            DependentRequired = new Dictionary<string, HashSet<string>> { ["url"] = ["accessed"], ["document"] = ["passage"] },
            AdditionalPropertiesAllowed = false,
        },
        [Figure] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An amount, count, tonnage or troop number as the source gives it.",
            Properties = Properties(RecordingFields.Figure.Names, name => name switch
            {
                "name" => Text(TextLimits.Name),
                "value" => new OpenApiSchema { Type = JsonSchemaType.Number },
                "unit" => Text(TextLimits.Unit),
                _ => null,
            }),
            Required = Required(RecordingFields.Figure),
            AdditionalPropertiesAllowed = false,
        },
        [SchemaId(CommandBody.Interaction)] = Interaction(document, multilateral: false, withId: true),
        [SchemaId(CommandBody.MultilateralAct)] = Interaction(document, multilateral: true, withId: true),
        [SchemaId(CommandBody.Correction)] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A correction, appended to the stream of the event it corrects.",
            Properties = Properties(RecordingFields.Correction.Names, name => name switch
            {
                "corrects" => Uuid("The id of the interaction event to correct: not retracted."),
                "with" => Interaction(document, multilateral: false, withId: false),
                _ => Amendment(name, document),
            }),
            Required = Required(RecordingFields.Correction),
            AdditionalPropertiesAllowed = false,
        },
        [SchemaId(CommandBody.Retraction)] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A retraction, appended to the stream of the event it retracts.",
            Properties = Properties(RecordingFields.Retraction.Names, name => name switch
            {
                "retracts" => Uuid("The id of the interaction event to retract: not already retracted."),
                _ => Amendment(name, document),
            }),
            Required = Required(RecordingFields.Retraction),
            AdditionalPropertiesAllowed = false,
        },
        [SchemaId(CommandBody.Merge)] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A merge: the interactions it lists are one and count once (the earliest). Appended to the stream they are on.",
            Properties = Properties(RecordingFields.Merge.Names, name => name switch
            {
                "merges" => new OpenApiSchema
                {
                    Type = JsonSchemaType.Array, Items = Uuid("An interaction event of the dyad: existing, not retracted."), MinItems = 2, UniqueItems = true,
                    Description = "Two or more interaction events, all on one dyad.",
                },
                _ => Amendment(name, document),
            }),
            Required = Required(RecordingFields.Merge),
            AdditionalPropertiesAllowed = false,
        },
    };

    private static OpenApiSchema Interaction(OpenApiDocument document, bool multilateral, bool withId)
    {
        var (parties, others) = multilateral
            ? (RecordingFields.MultilateralParties, RecordingFields.BilateralParties)
            : (RecordingFields.BilateralParties, RecordingFields.MultilateralParties);
        var names = RecordingFields.Interaction.Names.Where(n => !others.NameSet.Contains(n) && (withId || n != "id"));
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = multilateral
                ? "A multilateral act, fanned out in one atomic append to every affected dyad."
                : withId ? "A bilateral interaction between two different actors." : "The corrected interaction: same type and dyad as the event it corrects.",
            Properties = Properties(names, name => InteractionField(name, document)),
            Required = Required(RecordingFields.Interaction, parties),
            AllOf = [OnlyFor(AgreementSignedType, "agreement"), OnlyFor(SanctionsStanceType, "stance")],
            AdditionalPropertiesAllowed = false,
        };
    }

    private static IOpenApiSchema? InteractionField(string name, OpenApiDocument document) => name switch
    {
        "id" => Id(),
        "type" => Ref(InteractionType, document),
        "cameoCode" => Ref(CameoCode, document),
        "participants" => new OpenApiSchema
        {
            Type = JsonSchemaType.Array, Items = Ref(ActorCode, document), MinItems = 2, UniqueItems = true,
            Description = "Two or more actors acting jointly: one joint event for each pair.",
        },
        "host" => new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The third party (not a participant) that hosted or mediated: one host → participant event for each participant, with this CAMEO code.",
            Properties = Properties(RecordingFields.Host.Names, field => field == "actor" ? Ref(ActorCode, document) : field == "cameoCode" ? Ref(CameoCode, document) : null),
            Required = Required(RecordingFields.Host),
            AdditionalPropertiesAllowed = false,
        },
        "initiator" or "target" => Ref(ActorCode, document),
        "joint" => new OpenApiSchema
        {
            Type = JsonSchemaType.Boolean,
            Description = "True when both acted together; initiator and target then just name the pair.",
        },
        "occurredOn" => Ref(PartialDate, document),
        "theatre" => Enum(Theatres, "Where the interaction plays out."),
        "summary" or "note" => Text(TextLimits.Text),
        "figures" => new OpenApiSchema { Type = JsonSchemaType.Array, Items = Ref(Figure, document) },
        "sources" => Sources(document),
        "agreement" => Enum(Agreements, $"Required for type {AgreementSignedType}, and only for it."),
        "stance" => Enum(Stances, $"Required for type {SanctionsStanceType}, and only for it."),
        _ => null,
    };

    /// <summary>The fields every amendment (correction, retraction, merge) shares.</summary>
    private static OpenApiSchema? Amendment(string name, OpenApiDocument document) => name switch
    {
        "id" => Id(),
        "reason" => Text(TextLimits.Text),
        "sources" => Sources(document),
        _ => null,
    };

    /// <summary>
    /// The schemas of the recording format's fields <paramref name="names"/>, in its order, each from
    /// <paramref name="schema"/>: a field the format has and this description lacks stops the document being built.
    /// </summary>
    private static Dictionary<string, IOpenApiSchema> Properties(IEnumerable<string> names, Func<string, IOpenApiSchema?> schema) =>
        names.ToDictionary(
            name => name,
            name => schema(name) ?? throw new InvalidOperationException($"The OpenAPI description lacks the recording format's field '{name}'."),
            StringComparer.Ordinal);

    private static HashSet<string> Required(params FieldSet[] sets) => [.. sets.SelectMany(s => s.Required)];

    /// <summary>The field is required when <c>type</c> is <paramref name="type"/> and refused otherwise.</summary>
    private static OpenApiSchema OnlyFor(string type, string field) => new()
    {
        If = new OpenApiSchema
        {
            Properties = new Dictionary<string, IOpenApiSchema> { ["type"] = new OpenApiSchema { Const = type } },
            Required = new HashSet<string> { "type" },
        },
        Then = Requiring(field),
        Else = new OpenApiSchema { Not = Requiring(field) },
    };

    private static OpenApiSchema Requiring(string field) => new() { Required = new HashSet<string> { field } };

    private static OpenApiSchema Sources(OpenApiDocument document) =>
        new() { Type = JsonSchemaType.Array, Items = Ref(Source, document), MinItems = 1, Description = "At least one source." };

    private static OpenApiSchema Id() =>
        Uuid("Optional. When absent it is derived from the object's content, so sending the same object twice records it once.");

    private static OpenApiSchema Uuid(string description) =>
        new() { Type = JsonSchemaType.String, Format = "uuid", Description = description };

    /// <summary>A string that is not blank once trimmed, of at most <paramref name="maxLength"/> characters.</summary>
    private static OpenApiSchema Text(int maxLength) =>
        new() { Type = JsonSchemaType.String, MinLength = 1, MaxLength = maxLength, Pattern = "\\S" };

    private static OpenApiSchema Enum(IEnumerable<string> values, string description) => new()
    {
        Type = JsonSchemaType.String,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
        Description = description,
    };

    private static OpenApiSchemaReference Ref(string id, OpenApiDocument document) => new(id, document);

    private static string[] KebabNames<TEnum>()
        where TEnum : struct, Enum =>
        [.. System.Enum.GetValues<TEnum>().Select(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()))];

    private static string TypeName(Type clrType) => EventTypes.Interactions.Single(t => t.ClrType == clrType).Name;
}
