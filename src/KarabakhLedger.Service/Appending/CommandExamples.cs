using System.Text.Json.Nodes;

namespace KarabakhLedger.Service.Appending;

/// <summary>
/// One realistic body per command for the OpenAPI document. The correction and the retraction amend the interaction
/// example; the tests post every example, so one the service would refuse fails them.
/// </summary>
internal static class CommandExamples
{
    private const string InteractionId = "3f1c2a7e-1b7e-4c53-9d0a-6f6b1f7d2a10";

    private const string StraitsSource = """
        {
          "outlet": "Reuters.com",
          "title": "Turkey hasn't decided to close straits to Russian ships -Turkish official",
          "url": "https://www.reuters.com/world/middle-east/turkey-hasnt-decided-close-straits-russian-ships-turkish-official-2022-02-26/",
          "accessed": "2022-09-20",
          "document": "000_5b38dcf0de5d89a9",
          "passage": "fn. 4: a few days after the war broke out, Ankara closed the Dardanelles and Bosphorus straits to Russian ships following a request from Kyiv."
        }
        """;

    private const string Interaction = $$"""
        {
          "id": "{{InteractionId}}",
          "type": "straits-closed",
          "cameoCode": "172",
          "initiator": "TUR",
          "target": "RUS",
          "occurredOn": "2022-02",
          "theatre": "black-sea-ukraine",
          "summary": "At Kyiv's request, Türkiye closes the Bosphorus and the Dardanelles to Russian warships under the 1936 Montreux Convention.",
          "sources": [ {{StraitsSource}} ]
        }
        """;

    private const string MultilateralAct = """
        {
          "id": "b8e4f0d2-6a3c-4e1f-9c57-2d8a1e6b4f30",
          "type": "talks-held",
          "cameoCode": "046",
          "participants": [ "ARM", "AZE" ],
          "host": { "actor": "RUS", "cameoCode": "045" },
          "occurredOn": "2020-10-09",
          "theatre": "south-caucasus",
          "summary": "Russia hosts the foreign ministers of Armenia and Azerbaijan in Moscow for ceasefire talks.",
          "sources": [
            {
              "outlet": "Seed document 003",
              "title": "Russia–Turkey competition in 2020 across Syria, Libya and Nagorno-Karabakh",
              "document": "003_08a83cd49192ac61",
              "passage": "Russia has been in contact with both Azerbaijan and Armenia and welcomed the foreign ministers of both countries to Russia for cease-fire talks on October 9, 2020."
            }
          ],
          "note": "The text does not report the talks' outcome; the resulting ceasefire is recorded separately."
        }
        """;

    private const string Correction = $$"""
        {
          "corrects": "{{InteractionId}}",
          "reason": "Adds why only the month is recorded: the source rules out the first days of the war.",
          "sources": [ {{StraitsSource}} ]
        }
        """;

    private const string CorrectionNote =
        "The text says 'a few days after the war broke out' (24 February 2022) and gives no day. Footnote 4 (Reuters, 26 February 2022) " +
        "reports that Türkiye had not yet decided, so the closure came after 26 February.";

    private const string Retraction = $$"""
        {
          "retracts": "{{InteractionId}}",
          "reason": "Recorded twice: the seed corpus already holds this closure as fad15fd5-bf47-4f2a-a8a8-81d6e7cb8fa4.",
          "sources": [ {{StraitsSource}} ]
        }
        """;

    private const string Merge = $$"""
        {
          "merges": [ "{{InteractionId}}", "fad15fd5-bf47-4f2a-a8a8-81d6e7cb8fa4" ],
          "reason": "One closure reported twice: both events cite the same decision of 28 February 2022.",
          "sources": [ {{StraitsSource}} ]
        }
        """;

    public static JsonNode For(CommandBody body) => body switch
    {
        CommandBody.Interaction => JsonNode.Parse(Interaction)!,
        CommandBody.MultilateralAct => JsonNode.Parse(MultilateralAct)!,
        CommandBody.Correction => CorrectedInteraction(),
        CommandBody.Retraction => JsonNode.Parse(Retraction)!,
        CommandBody.Merge => JsonNode.Parse(Merge)!,
        _ => throw new ArgumentOutOfRangeException(nameof(body), body, null),
    };

    /// <summary>The correction: the interaction example, without its id and with a note, as <c>with</c>.</summary>
    private static JsonNode CorrectedInteraction()
    {
        var with = JsonNode.Parse(Interaction)!.AsObject();
        with.Remove("id");
        with["note"] = CorrectionNote;
        var correction = JsonNode.Parse(Correction)!;
        correction["with"] = with;
        return correction;
    }
}
