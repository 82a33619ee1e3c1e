import { useState } from 'preact/hooks';
import { ApiError, errorText } from '../api';
import { ErrorNote, Level, LoadState, OkNote, PageTitle } from '../components/ui';
import { fmtDate, fmtDays } from '../format';
import { useAsync } from '../use-async';
import { portal, Survey, SurveyAnswer } from './portal-api';

const STATE_TEXT: Record<Survey['state'], string> = {
  potential: 'not answered yet',
  confirmed: 'impacted (your answer)',
  'no-impact': 'not impacted (your answer)',
  restored: 'restored (your answer)',
};

function AnswerForm({ survey, onAnswered }: { survey: Survey; onAnswered: (s: Survey) => void }) {
  const [status, setStatus] = useState<SurveyAnswer['status']>(survey.state === 'confirmed' ? 'restored' : 'confirmed');
  const [loss, setLoss] = useState(String(Math.round((survey.answer?.capacityLoss ?? survey.estimate.x) * 100)));
  const [days, setDays] = useState(String(survey.answer?.recoveryDays ?? survey.estimate.days));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `sv-${survey.id}`;
  const options: { value: SurveyAnswer['status']; label: string }[] = [
    { value: 'confirmed', label: 'Yes, we are impacted' },
    { value: 'no-impact', label: 'No, this site is not impacted' },
    ...(survey.state === 'confirmed' || survey.state === 'restored' ? [{ value: 'restored' as const, label: 'We have recovered' }] : []),
  ];
  const submit = async (e: Event) => {
    e.preventDefault();
    let answer: SurveyAnswer;
    if (status === 'confirmed') {
      const capacityLoss = Number(loss) / 100;
      const recoveryDays = Number(days);
      if (!(capacityLoss > 0 && capacityLoss <= 1)) return setError('Capacity lost must be between 1 and 100 %.');
      if (!(recoveryDays > 0 && recoveryDays <= 3650)) return setError('Days to recover must be between 1 and 3650.');
      answer = { status, capacityLoss, recoveryDays };
    } else {
      answer = { status };
    }
    setBusy(true);
    setError(null);
    try {
      onAnswered(await portal.answer(survey.id, answer));
    } catch (err) {
      setError(err instanceof ApiError && err.errors.length ? err.errors.map((x) => `${x.field}: ${x.message}`).join('; ') : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={submit} aria-label={`Answer for ${survey.site.name}`}>
      <fieldset>
        <legend>{survey.state === 'potential' ? `Is ${survey.site.name} impacted?` : `Change your answer for ${survey.site.name}`}</legend>
        {options.map((o) => (
          <label key={o.value} class="inline checkbox">
            <input type="radio" name={`${base}-status`} value={o.value} checked={status === o.value} onChange={() => setStatus(o.value)} /> {o.label}
          </label>
        ))}
      </fieldset>
      {status === 'confirmed' && (
        <div class="row">
          <label>
            Capacity lost (%)
            <input name="capacityLoss" type="number" min="1" max="100" value={loss} onInput={(e) => setLoss((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Days to recover
            <input name="recoveryDays" type="number" min="1" max="3650" value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
          </label>
        </div>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Sending…' : 'Send answer'}
      </button>
      {error && <ErrorNote message={error} />}
    </form>
  );
}

function SurveyCard({ survey, onAnswered }: { survey: Survey; onAnswered: (s: Survey) => void }) {
  return (
    <article class="survey" data-survey-id={survey.id} aria-labelledby={`h-${survey.id}`}>
      <h3 id={`h-${survey.id}`}>
        {survey.event.title} — {survey.site.name}
      </h3>
      <dl class="facts">
        <div>
          <dt>Event</dt>
          <dd>
            {survey.event.type}, severity <Level value={survey.event.severity} />
          </dd>
        </div>
        <div>
          <dt>Our estimate for your site</dt>
          <dd>
            {Math.round(survey.estimate.x * 100)} % lost for {fmtDays(survey.estimate.days)}
          </dd>
        </div>
        <div>
          <dt>Asked</dt>
          <dd>{fmtDate(survey.askedAt)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd class="survey-state">{STATE_TEXT[survey.state]}</dd>
        </div>
      </dl>
      {survey.answer && (
        <p>
          You told us: {Math.round(survey.answer.capacityLoss * 100)} % of capacity lost, {fmtDays(survey.answer.recoveryDays)} to recover.
        </p>
      )}
      <AnswerForm key={`${survey.state}-${survey.answeredAt}`} survey={survey} onAnswered={onAnswered} />
    </article>
  );
}

export function SurveysPage() {
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useAsync(() => portal.surveys(), [version]);
  const surveys = list.data?.items ?? [];
  const open = surveys.filter((s) => s.state === 'potential');
  const answered = surveys.filter((s) => s.state !== 'potential');
  const answeredOne = (s: Survey) => {
    setNotice(`Thank you: ${s.site.name} is recorded as ${STATE_TEXT[s.state].replace(' (your answer)', '')}.`);
    setVersion((v) => v + 1);
  };
  return (
    <div>
      <PageTitle>Surveys</PageTitle>
      <p>When an event may hit one of your sites we ask whether it is impacted. Your answer replaces our estimate in the buyer's risk picture.</p>
      {notice && <OkNote>{notice}</OkNote>}
      <LoadState state={list} what="your surveys" />
      {list.data && (
        <>
          <section aria-labelledby="open-h">
            <h2 id="open-h">Open ({open.length})</h2>
            {open.length === 0 ? <p>No open survey: nothing to answer.</p> : open.map((s) => <SurveyCard key={s.id} survey={s} onAnswered={answeredOne} />)}
          </section>
          {answered.length > 0 && (
            <section aria-labelledby="answered-h">
              <h2 id="answered-h">Answered ({answered.length})</h2>
              {answered.map((s) => (
                <SurveyCard key={s.id} survey={s} onAnswered={answeredOne} />
              ))}
            </section>
          )}
        </>
      )}
    </div>
  );
}
