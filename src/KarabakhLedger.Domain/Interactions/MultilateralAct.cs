using KarabakhLedger.Domain.Contracts;
using KarabakhLedger.Domain.Dyads;

namespace KarabakhLedger.Domain.Interactions;

/// <summary>
/// One act among two or more participants (a summit, a joint statement), perhaps with a third-party host, as the
/// ledger stores it: one joint event in each pair of participants, then one event from the host to each participant
/// under the host's own CAMEO code. Each event's id derives from the act's id and its dyad (<see cref="EventId"/>), so
/// the same act recorded again fans out to the same events. Participants are distinct canonical codes, at least two,
/// and the host is not one of them.
/// </summary>
public sealed record MultilateralAct
{
    public MultilateralAct(Guid id, IReadOnlyList<string> participants, ActHost? host)
    {
        ArgumentNullException.ThrowIfNull(participants);
        if (participants.Count < 2)
        {
            throw new ArgumentException("A multilateral act needs at least two participants.", nameof(participants));
        }

        if (participants.Distinct(StringComparer.Ordinal).Count() != participants.Count)
        {
            throw new ArgumentException("A multilateral act lists each participant once.", nameof(participants));
        }

        if (host is not null && participants.Contains(host.Actor, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{host.Actor}' is already a participant; a host is a third party.", nameof(host));
        }

        Id = id;
        Participants = participants;
        Host = host;
        Everyone = [.. participants.Append(host?.Actor).OfType<string>().Order(StringComparer.Ordinal)];
    }

    public Guid Id { get; }

    public IReadOnlyList<string> Participants { get; }

    public ActHost? Host { get; }

    /// <summary>Every actor of the act, the host among them, in ordinal order: what each of its events lists as participants.</summary>
    public IReadOnlyList<string> Everyone { get; }

    /// <summary>
    /// The act's events, in the order they are stored: each pair of participants in the order given (joint, under
    /// <paramref name="cameoCode"/>), then the host with each participant (the host initiating, under its own code).
    /// </summary>
    public IEnumerable<ActPair> FanOut(string cameoCode)
    {
        var p = Participants;
        for (var i = 0; i < p.Count; i++)
        {
            for (var j = i + 1; j < p.Count; j++)
            {
                var dyad = new Dyad(p[i], p[j]);
                yield return new ActPair(dyad, EventId(Id, dyad), cameoCode, dyad.A, dyad.B, Joint: true);
            }
        }

        if (Host is { } host)
        {
            foreach (var participant in p)
            {
                var dyad = new Dyad(host.Actor, participant);
                yield return new ActPair(dyad, EventId(Id, dyad), host.CameoCode, host.Actor, participant, Joint: false);
            }
        }
    }

    /// <summary>The id of act <paramref name="actId"/>'s event in <paramref name="dyad"/>.</summary>
    public static Guid EventId(Guid actId, Dyad dyad)
    {
        ArgumentNullException.ThrowIfNull(dyad);
        return DeterministicGuid.Create(DeterministicGuid.FanOutNamespace, $"{actId:D}/{dyad.Key}");
    }
}

/// <summary>The third party that hosts a multilateral act, and the CAMEO code of its part (e.g. 043, host a visit).</summary>
public sealed record ActHost(string Actor, string CameoCode);

/// <summary>One event of a multilateral act: its dyad, id, CAMEO code, initiator and target, and whether it is joint.</summary>
public sealed record ActPair(Dyad Dyad, Guid EventId, string CameoCode, string Initiator, string Target, bool Joint);
