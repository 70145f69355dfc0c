import type { JSONContent } from '@tiptap/core';
import type { DocumentKind, Meeting } from '../../shared/domain/index.js';
import { bold, bulletList, doc, heading, italic, orderedList, paragraph, recommendation } from './documentContent.js';
import { FOLLOW_UP_SECTIONS, meetingLine } from './followUpTemplate.js';

/**
 * The workspace a new installation starts with: the four Thematic Expert Groups named on the
 * network's networking page and the meetings it lists, so a first-time user sees what the tool
 * is for. Every person and organisation here is fictional; the network, its projects (VENHANS,
 * VET4EU2, EVTA's expert group) and the meeting dates are those of the public source page.
 */

export interface SeedGroup {
  id: string;
  name: string;
  description: string;
}

export interface SeedDocument {
  groupId: string;
  kind: DocumentKind;
  title: string;
  meeting?: Meeting;
  content: JSONContent;
}

export const SEED_GROUPS: SeedGroup[] = [
  {
    id: 'digital-transition',
    name: 'WG Digital Transition',
    description:
      'How the digital transition changes vocational education and training: work-based learning when companies work remotely, e-learning, technology-enhanced learning and distance training, and the digital competences of VET teachers and trainers. Its findings feed the policy publication of the EVTA international expert group and its recommendations to the European Commission.',
  },
  {
    id: 'environment-climate',
    name: 'WG Environment and fight against climate change',
    description:
      'VET providers working on the green transition: green skills in initial and continuing VET, greener training centres and workshops, and the role of Centres of Vocational Excellence in regional climate strategies.',
  },
  {
    id: 'social-inclusion',
    name: 'WG Social Inclusion',
    description:
      'Access to and success in VET for learners with fewer opportunities: early leavers, migrants and refugees, learners with disabilities and adults with low basic skills; guidance, flexible pathways and the support teachers, trainers and in-company tutors need.',
  },
  {
    id: 'democratic-life',
    name: 'WG Participation in Democratic Life',
    description:
      'How VET prepares learners for active citizenship: learner voice in VET institutions, citizenship and media literacy in curricula, European participation through Erasmus+ and youth events, and the involvement of learners and social partners in the governance of VET.',
  },
];

interface FollowUpContent {
  meeting: Meeting;
  participants: string[];
  apologies?: string;
  agenda: string[];
  discussion: JSONContent[];
  conclusions: JSONContent[];
  actions: string[];
}

/** A filled-in follow-up with exactly the sections of the follow-up template. */
function followUp(content: FollowUpContent): JSONContent {
  const [participants, agenda, discussion, conclusions, actions] = FOLLOW_UP_SECTIONS;
  return doc(
    meetingLine(content.meeting),
    heading(2, participants),
    bulletList(content.participants),
    ...(content.apologies ? [paragraph(italic('Apologies: '), content.apologies)] : []),
    heading(2, agenda),
    orderedList(content.agenda),
    heading(2, discussion),
    ...content.discussion,
    heading(2, conclusions),
    ...content.conclusions,
    heading(2, actions),
    bulletList(content.actions),
  );
}

const dtPreliminary: Meeting = { date: '2022-09-08', type: 'preliminary', place: 'online' };
const dtGroupMeeting: Meeting = { date: '2022-09-08', type: 'group-meeting', place: 'online' };
const envGroupMeeting: Meeting = { date: '2022-09-07', type: 'group-meeting', place: 'online' };
const tegOnline: Meeting = { date: '2022-06-16', type: 'expert-group-meeting', place: 'online' };
const tegBrussels: Meeting = { date: '2022-09-21', type: 'expert-group-meeting', place: 'Brussels' };

const digitalTransitionPreliminary: SeedDocument = {
  groupId: 'digital-transition',
  kind: 'follow-up',
  title: 'Follow-up summary: preliminary meeting of 8 September 2022',
  meeting: dtPreliminary,
  content: followUp({
    meeting: dtPreliminary,
    participants: [
      'Aino Vartiainen (Ammattiopisto Kaarna, Finland) — chair',
      'Tomás Ferreira Lobo (Escola Profissional do Vale Verde, Portugal) — rapporteur',
      'Greta Oberhuber (Berufsbildungszentrum Innfeld, Austria)',
      'Luca Benvenuti (Centro Formativo Alta Valle, Italy)',
      'Piet van Aalst (Beroepsopleiding Zuidrand, Netherlands)',
      'Clara Monteiro (network secretariat, Brussels)',
    ],
    agenda: [
      'Welcome and introduction of the new members',
      'Scope of the working group and its link with the EVTA expert group publication',
      'Working method and calendar until the Brussels meeting of 21 September 2022',
      'Preparation of the group meeting held later the same day',
    ],
    discussion: [
      paragraph(
        'The chair recalled that the group was set up at the Thematic Expert Groups online meeting of 16 June 2022 and that its conclusions feed the publication of the EVTA international expert group. That publication covers two topics: work-based learning challenges (remote working and e-learning) and technology-enhanced learning and distance training. It will close with a set of recommendations for the European Commission.',
      ),
      paragraph(
        'Members agreed that the group should not produce one more inventory of digital tools. Its added value is the point of view of VET providers: what changes for a learner in a work placement when the host company moves to remote or hybrid working, and under which conditions distance training keeps its quality.',
      ),
      paragraph(
        'Several members reported that in 2020–2021 the in-company tutor was the weak link: tutors working from home had little time for learners, and few knew how to follow or assess a learner they did not see at work. Greta Oberhuber noted that apprentices in administrative and IT occupations were the most affected.',
      ),
      paragraph(
        'The secretariat proposed that each member bring one practice from their own centre, described on a one-page format (context, learners, tools, what worked, what did not), so that the group meeting can compare like with like.',
      ),
    ],
    conclusions: [
      bulletList([
        'The group works on the two topics of the publication, from the perspective of VET providers and of the companies that host their learners.',
        'The group meeting this afternoon starts with the exchange of practices; recommendations are drafted from the practices, not the other way round.',
        'The group presents its first conclusions at the Thematic Expert Groups meeting in Brussels on 21 September 2022.',
      ]),
    ],
    actions: [
      'Send the one-page practice format to all members — Clara Monteiro — 9 September 2022',
      'Circulate the conclusions of the 16 June meeting — Aino Vartiainen — 9 September 2022',
      'Draft an outline of the group’s contribution to the publication — Tomás Ferreira Lobo — 16 September 2022',
    ],
  }),
};

const digitalTransitionGroupMeeting: SeedDocument = {
  groupId: 'digital-transition',
  kind: 'follow-up',
  title: 'Follow-up summary: group meeting of 8 September 2022',
  meeting: dtGroupMeeting,
  content: followUp({
    meeting: dtGroupMeeting,
    participants: [
      'Aino Vartiainen (Ammattiopisto Kaarna, Finland) — chair',
      'Tomás Ferreira Lobo (Escola Profissional do Vale Verde, Portugal) — rapporteur',
      'Greta Oberhuber (Berufsbildungszentrum Innfeld, Austria)',
      'Luca Benvenuti (Centro Formativo Alta Valle, Italy)',
      'Piet van Aalst (Beroepsopleiding Zuidrand, Netherlands)',
      'Katarzyna Wilk-Nowara (Centrum Kształcenia Zawodowego Wrzos, Poland)',
      'Dragana Kostić (Srednja stručna škola Lipa, Montenegro)',
      'Seán Mulcahy-Byrne (Northbay Further Education and Training Centre, Ireland)',
    ],
    apologies: 'Ilse Drenthe (ROC Waterland-Oost, Netherlands)',
    agenda: [
      'Tour de table: one practice per centre',
      'Work-based learning challenges: remote working and e-learning',
      'Technology-enhanced learning and distance training',
      'First recommendations for the publication',
      'Next steps towards the Brussels meeting of 21 September 2022',
    ],
    discussion: [
      heading(3, 'Work-based learning when the workplace is remote'),
      paragraph(
        'Greta Oberhuber presented the “remote placement agreement” her centre signs with the host company and the apprentice when the company works in hybrid mode: a named tutor, a fixed weekly online check-in, and on-site days reserved for the tasks that cannot be learned at a distance. Drop-out from placements fell noticeably in the year after its introduction.',
      ),
      paragraph(
        'Seán Mulcahy-Byrne reported that learners without a stable connection or a quiet place at home were the first to disengage on remote days. His centre now opens its computer rooms as “work hubs” where apprentices can do their remote working days with a trainer nearby.',
      ),
      paragraph(
        'Luca Benvenuti stressed that in-company tutors must assess competences they no longer observe directly. With the regional chamber of commerce, his centre co-designed a twelve-hour online course for tutors on supervising and assessing learners at a distance; the group found this practice easy to transfer.',
      ),
      heading(3, 'Technology-enhanced learning and distance training'),
      paragraph(
        'Piet van Aalst observed that moving the same content online is not the same learning. The formats that lasted after the pandemic are blended ones: theory and preparation online, practical workshops on site, with short feedback loops between the two.',
      ),
      paragraph(
        'Katarzyna Wilk-Nowara described a shared library of simulations for mechatronics used by four centres, which reduced costs and let learners practise before using real equipment. Licences, however, are still bought centre by centre, which keeps smaller providers out.',
      ),
      paragraph(
        'Dragana Kostić added that the online Peer Learning Review in Montenegro (31 May 2022) had shown the same gap: smaller providers often have no learning-management system and no staff time to run one, while regional shared platforms work well where they exist.',
      ),
      paragraph(
        'All members pointed to the digital competence of teachers and trainers as the condition for everything else. The European framework for the digital competence of educators (DigCompEdu) is known, but time for professional development is rarely budgeted.',
      ),
    ],
    conclusions: [
      paragraph('The group agreed on three draft recommendations for the publication, to be refined in Brussels:'),
      orderedList([
        recommendation(
          'Recognise remote and hybrid work placements as work-based learning when a tripartite agreement sets supervision, on-site time and assessment.',
          'European Commission and Member States',
          'Learners whose host companies moved to hybrid work lost placement time or were left without supervision; a clear framework protects quality without closing these placements.',
        ),
        recommendation(
          'Fund short training for in-company tutors on supervising and assessing learners at a distance.',
          'European Commission (Erasmus+, European Social Fund Plus)',
          'Tutors are the weak link of remote work-based learning; short, practical courses co-designed with chambers of commerce have proved effective and transferable.',
        ),
        recommendation(
          'Support shared digital learning infrastructure (platforms, simulation libraries, licences) for smaller VET providers.',
          'European Commission, Member States and regional authorities',
          'Centre-by-centre procurement keeps small providers and under-represented territories out of technology-enhanced learning.',
        ),
      ]),
    ],
    actions: [
      'Send the practice one-pagers to the secretariat — all members — 14 September 2022',
      'Consolidate the recommendations into the publication draft — Tomás Ferreira Lobo — 15 September 2022',
      'Present the group’s conclusions in Brussels — Aino Vartiainen — 21 September 2022',
    ],
  }),
};

const environmentGroupMeeting: SeedDocument = {
  groupId: 'environment-climate',
  kind: 'follow-up',
  title: 'Follow-up summary: group meeting of 7 September 2022',
  meeting: envGroupMeeting,
  content: followUp({
    meeting: envGroupMeeting,
    participants: [
      'Inès Marchetti-Roy (Lycée des métiers Les Tilleuls, France) — chair',
      'Maarten Claeys-Lind (Technisch Instituut Scheldeveld, Belgium) — rapporteur',
      'Elena Drăgulescu (Colegiul Tehnic Valea Lunii, Romania)',
      'Mikkel Havgaard (Erhvervsskolen Vestkyst, Denmark)',
      'Ana Ribeiro Salgado (Centro de Formación Profesional Ribera del Tajo, Spain)',
      'Helmut Gratzl (Landesberufsschule Almtal, Austria)',
    ],
    agenda: [
      'Welcome and approval of the agenda',
      'Green skills in VET curricula: what providers already do',
      'Greening VET centres: buildings, workshops and procurement',
      'Centres of Vocational Excellence and regional climate strategies',
      'Contributions for the Brussels meeting of 21 September 2022',
    ],
    discussion: [
      paragraph(
        'The group distinguished two kinds of green skills: transversal ones every learner needs (using energy and materials sparingly, understanding the environmental impact of one’s work, as described in the GreenComp framework) and occupation-specific ones, such as installing heat pumps, retrofitting buildings or maintaining electric vehicles.',
      ),
      paragraph(
        'Mikkel Havgaard explained that his school revised its construction programmes with local companies so that energy-efficient renovation is taught on real sites. Helmut Gratzl noted that qualifications change more slowly than technology: trainers often learn the new techniques from the companies hosting their apprentices.',
      ),
      paragraph(
        'On the centres themselves, Ana Ribeiro Salgado presented a workshop-energy audit carried out by learners, which halved the standby consumption of the machine park and became an assessed project. Elena Drăgulescu pointed out that public procurement rules make it hard for providers to buy second-hand or refurbished equipment.',
      ),
      paragraph(
        'The group saw Centres of Vocational Excellence as the natural partners of regional authorities in climate strategies: they gather providers, companies and research, and can anticipate the skills needed by new green value chains in their region.',
      ),
    ],
    conclusions: [
      orderedList([
        recommendation(
          'Include both transversal and occupation-specific green skills in every VET qualification when it is next reviewed.',
          'Member States and bodies responsible for qualifications',
          'Green skills are needed in all occupations, not only in “green jobs”; reviewing qualifications one by one is slow unless it is a standing requirement.',
        ),
        recommendation(
          'Fund the continuing professional development of teachers and trainers in the technologies of the green transition, delivered together with companies.',
          'European Commission',
          'Trainers learn new techniques from host companies today by chance; a funded, structured offer would make it systematic.',
        ),
        recommendation(
          'Involve Centres of Vocational Excellence in regional climate and skills strategies as hubs between providers, companies and authorities.',
          'European Commission and regional authorities',
          'They are best placed to anticipate regional skills needs of the green transition and to spread practice to smaller providers.',
        ),
      ]),
    ],
    actions: [
      'Write up the workshop-energy audit as a one-page practice — Ana Ribeiro Salgado — 14 September 2022',
      'Prepare the group’s slides for Brussels — Maarten Claeys-Lind — 19 September 2022',
      'Start a working draft on green skills in curricula — Inès Marchetti-Roy — 30 September 2022',
    ],
  }),
};

const environmentDraft: SeedDocument = {
  groupId: 'environment-climate',
  kind: 'working-draft',
  title: 'Green skills in VET curricula (working draft)',
  content: doc(
    heading(2, 'Purpose'),
    paragraph('A short paper for the policy publication on how VET providers build green skills into their programmes, based on the practices collected since the group meeting of 7 September 2022.'),
    heading(2, 'Background'),
    paragraph(
      'The group agreed that green skills are both transversal and occupation-specific. Providers already teach them, but mostly through individual initiatives of teachers and trainers rather than through the qualifications themselves.',
    ),
    heading(2, 'Draft text'),
    paragraph(
      'Across the centres represented in the group, the most effective practices share three features: learners work on real sites or real equipment, the environmental result of their work is measured, and the project is assessed as part of the qualification. ',
      italic('(Add the practices from Denmark and Spain here.)'),
    ),
    heading(2, 'Open questions'),
    bulletList([
      'Which existing qualifications already name green skills explicitly? — Helmut Gratzl',
      'Can the GreenComp framework be used as a common reference across countries? — all',
    ]),
  ),
};

const socialInclusionJune: SeedDocument = {
  groupId: 'social-inclusion',
  kind: 'follow-up',
  title: 'Follow-up summary: Thematic Expert Groups online meeting of 16 June 2022',
  meeting: tegOnline,
  content: followUp({
    meeting: tegOnline,
    participants: [
      'Marta Lindqvist-Öberg (Yrkesgymnasiet Norrsund, Sweden) — chair',
      'Fatima El Idrissi-Moreau (Centre de formation Horizon Sud, France) — rapporteur',
      'Zsófia Kerekes (Szakképző Centrum Tiszapart, Hungary)',
      'Arben Hoxha-Leka (Qendra Profesionale Drini, Albania)',
      'Ilse Drenthe (ROC Waterland-Oost, Netherlands)',
      'Nikos Vlachakis (Vocational Training Institute Thermi, Greece)',
    ],
    agenda: [
      'Mandate of the Thematic Expert Groups and of WG Social Inclusion',
      'Who are the learners with fewer opportunities in our centres?',
      'Practices: guidance, flexible pathways, support during work-based learning',
      'Priorities of the group until September 2022',
    ],
    discussion: [
      paragraph(
        'The chair presented the mandate agreed in plenary: each Thematic Expert Group collects practices of VET providers and turns them into recommendations that the network brings to European decision makers through the VET4EU2 platform.',
      ),
      paragraph(
        'Members described the learners their centres struggle to keep: early leavers returning to education, migrants and refugees who need language support and recognition of what they already know, learners with disabilities, and adults with low basic skills. Zsófia Kerekes added that the digital divide became an inclusion issue of its own during distance training.',
      ),
      paragraph(
        'Arben Hoxha-Leka shared the experience of the online Peer Learning Review in Albania (19–20 May 2022): modular programmes with partial certificates allowed adults to combine work and training and to come back after an interruption without starting again.',
      ),
      paragraph(
        'Ilse Drenthe presented a mentoring scheme in which a trained volunteer from the host company accompanies each learner at risk during the placement. Members agreed that placements are where many learners with fewer opportunities drop out, and that companies need support to host them.',
      ),
      paragraph(
        'On mobility, members welcomed the inclusion measures of Erasmus+ but found them hard to use for small providers: preparatory visits and accompanying persons require administrative capacity they do not have.',
      ),
    ],
    conclusions: [
      orderedList([
        recommendation(
          'Enable modular VET pathways with partial certification and validation of prior learning, so that learners can interrupt and resume training.',
          'Member States',
          'Adults and early leavers often cannot follow a full programme in one go; partial certificates keep what they have achieved.',
        ),
        recommendation(
          'Fund mentoring for learners with fewer opportunities during work-based learning, including training for company mentors.',
          'European Commission (European Social Fund Plus)',
          'Placements are where these learners most often drop out; mentoring schemes presented in the group reduced drop-out markedly.',
        ),
        recommendation(
          'Simplify the inclusion support of Erasmus+ mobility for small VET providers (lump sums for accompanying persons and preparatory visits).',
          'European Commission',
          'The support exists but small providers lack the administrative capacity to apply for it.',
        ),
      ]),
    ],
    actions: [
      'Collect one inclusion practice per member — Fatima El Idrissi-Moreau — 15 July 2022',
      'Ask the Albanian and Kosovar peer learning partners to join the group — Marta Lindqvist-Öberg — September 2022',
    ],
  }),
};

const democraticLifeBrussels: SeedDocument = {
  groupId: 'democratic-life',
  kind: 'follow-up',
  title: 'Follow-up summary: Thematic Expert Groups meeting in Brussels, 21 September 2022',
  meeting: tegBrussels,
  content: followUp({
    meeting: tegBrussels,
    participants: [
      'Jules Verhaegen-Rossi (Institut Saint-Aubain, Belgium) — chair',
      'Sofia Andreou-Kallis (Technical and Vocational School Palaiochori, Cyprus) — rapporteur',
      'Blerina Krasniqi-Doda (VET Centre Dardania Valley, Kosovo)',
      'Rasmus Eklund (Yrkeshögskolan Strandviken, Sweden)',
      'Matteo Giordanelli (student council, Istituto Professionale Monteverde, Italy) — learner representative',
    ],
    agenda: [
      'Welcome and link with the final Peer Learning Review held in Brussels the same day',
      'Learner voice in VET institutions',
      'Active citizenship and media literacy in VET curricula and in work-based learning',
      'European participation: Erasmus+ and the European Year of Youth 2022',
      'Messages for the policy publication',
    ],
    discussion: [
      paragraph(
        'Matteo Giordanelli opened the discussion from the learners’ side: student councils exist in most VET schools, but apprentices who spend most of the week in a company rarely take part, and often do not know that they could.',
      ),
      paragraph(
        'Rasmus Eklund presented the “apprentice assembly” his school holds once a term at a time when companies release their apprentices; its proposals go to the school board, which answers each one in writing. Members found the written answer essential: learners stop taking part when nothing comes back.',
      ),
      paragraph(
        'On curricula, members noted that citizenship is often reduced to one module in the first year. Blerina Krasniqi-Doda described projects in which learners investigate a local issue linked to their trade and present it to the municipal council, combining citizenship, media literacy and occupational skills.',
      ),
      paragraph(
        'The group also discussed learners’ involvement in quality assurance: satisfaction surveys following the EQAVET approach are common, but learners rarely see their results or the changes made because of them.',
      ),
      paragraph(
        'Finally, members regretted that VET learners were under-represented in the activities of the European Year of Youth 2022, partly because apprentices need their employer’s agreement to take time off.',
      ),
    ],
    conclusions: [
      orderedList([
        recommendation(
          'Guarantee that learners, including apprentices, are represented in the governance and quality assurance of VET providers, with a written answer to their proposals.',
          'Member States and VET providers',
          'Apprentices are structurally absent from school participation; representation only lasts when learners see what happens to their proposals.',
        ),
        recommendation(
          'Make active citizenship and media literacy transversal competences of VET, developed and assessed through projects linked to the learner’s occupation.',
          'Member States',
          'A single module in the first year does not build participation; projects anchored in the trade do.',
        ),
        recommendation(
          'Open European participation opportunities to VET learners and apprentices, with paid time off agreed with social partners.',
          'European Commission and European social partners',
          'VET learners were under-represented in the European Year of Youth 2022 largely because of their working time.',
        ),
      ]),
    ],
    actions: [
      'Send the recommendations to the rapporteur of the policy publication — Sofia Andreou-Kallis — 30 September 2022',
      'Invite a second learner representative, from an apprenticeship programme — Jules Verhaegen-Rossi — next meeting',
    ],
  }),
};

const policyPublication: SeedDocument = {
  groupId: 'digital-transition',
  kind: 'publication',
  title: 'Policy publication: recommendations to the European Commission',
  content: doc(
    paragraph(italic('Draft for discussion. Compiled by the rapporteur of WG Digital Transition from the follow-up summaries of the Thematic Expert Groups.')),
    heading(2, 'Introduction'),
    paragraph(
      'This publication summarises the discussions of the EVTA international expert group and of the Thematic Expert Groups of the VENHANS project between June and September 2022. It concentrates on two topics: work-based learning challenges, namely remote working and e-learning, and technology-enhanced learning and distance training.',
    ),
    paragraph(
      'It is written by VET providers for decision makers: the European Commission first, and the Member States and social partners where they are the ones able to act. Its recommendations come from practices the groups examined, not from a literature review.',
    ),
    heading(2, 'How the groups worked'),
    paragraph(
      'The Thematic Expert Groups met online on 16 June 2022, held preliminary and group meetings in early September 2022, and met in Brussels on 21 September 2022, the day of the final Peer Learning Review. The online Peer Learning Reviews in Albania, Kosovo and Montenegro in May 2022 brought in the experience of territories under-represented in VET policy making.',
    ),
    heading(2, 'Main findings'),
    heading(3, 'Work-based learning challenges: remote working and e-learning'),
    paragraph(
      'When host companies moved to remote or hybrid work, learners lost supervision before they lost placements. The practices that held up combined a tripartite agreement between provider, company and learner, fixed online check-ins with a named tutor, and on-site days for what cannot be learned at a distance.',
    ),
    paragraph(
      'In-company tutors emerged as the decisive and least supported actors: few had been prepared to follow or assess a learner they did not see at work.',
    ),
    heading(3, 'Technology-enhanced learning and distance training'),
    paragraph(
      'Blended formats outlived the emergency: theory and preparation online, practice in the workshop. Shared resources such as simulation libraries lowered costs, but centre-by-centre licensing and the lack of staff time keep smaller providers out. The digital competence of teachers and trainers is the condition for all of it.',
    ),
    heading(2, 'Recommendations to the European Commission'),
    orderedList([
      recommendation(
        'Recognise remote and hybrid work placements as work-based learning when a tripartite agreement sets supervision, on-site time and assessment.',
        'European Commission and Member States',
        'Protects the quality of placements in companies that work in hybrid mode without closing them to learners.',
      ),
      recommendation(
        'Fund short training for in-company tutors on supervising and assessing learners at a distance.',
        'European Commission (Erasmus+, European Social Fund Plus)',
        'Tutors are the weak link of remote work-based learning; short courses co-designed with chambers of commerce proved transferable.',
      ),
      recommendation(
        'Support shared digital learning infrastructure for smaller VET providers, including joint licensing of simulations and platforms.',
        'European Commission, Member States and regional authorities',
        'Keeps small providers and under-represented territories from being left out of technology-enhanced learning.',
      ),
      recommendation(
        'Include time for the digital professional development of teachers and trainers in the funding of VET programmes, using DigCompEdu as the common reference.',
        'Member States',
        'Frameworks exist; the missing resource is budgeted time.',
      ),
      recommendation(
        'Keep funding blended formats of distance training beyond emergencies, with quality criteria defined together with VET providers.',
        'European Commission',
        'Blended formats proved their value after the pandemic; their funding should not depend on exceptional measures.',
      ),
    ]),
    heading(2, 'Contributions of the other Thematic Expert Groups'),
    paragraph(
      italic('To be compiled from the follow-ups of '),
      bold('WG Environment and fight against climate change'),
      italic(', '),
      bold('WG Social Inclusion'),
      italic(' and '),
      bold('WG Participation in Democratic Life'),
      italic(' once their recommendations are final.'),
    ),
    heading(2, 'Conclusion'),
    paragraph(
      'The digital transition of VET is less a matter of tools than of organisation, people and shared infrastructure. The network stands ready to work with the European Commission on putting these recommendations into practice.',
    ),
  ),
};

/** In the order they were written: later entries get later timestamps when seeded. */
export const SEED_DOCUMENTS: SeedDocument[] = [
  socialInclusionJune,
  environmentGroupMeeting,
  digitalTransitionPreliminary,
  digitalTransitionGroupMeeting,
  democraticLifeBrussels,
  environmentDraft,
  policyPublication,
];
