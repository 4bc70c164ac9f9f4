import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { LEGAL_STYLES, LegalVersion } from './legal';

/**
 * Termos de Uso (/termos): the rules of buying here, in plain pt-BR: the
 * purchase, seat holds, meia-entrada, the convenience fee, cancellation and
 * refunds, the bomboniere pickup and conduct. Public, linked from the footer
 * and the sign-in page, and the URL given to Google's OAuth consent screen.
 */
@Component({
  selector: 'app-terms-page',
  imports: [RouterLink, LegalVersion],
  template: `
    <article class="legal" aria-labelledby="terms-title">
      <h1 id="terms-title">Termos de Uso</h1>
      <app-legal-version />
      <p>
        Estes termos valem para quem usa o Bilhetagem, o site de venda de ingressos e itens da bomboniere da
        <strong>Rede de cinemas</strong> (<span class="todo">razão social e CNPJ a preencher antes da publicação</span>).
        Ao entrar com sua conta e comprar, você concorda com eles. O tratamento dos seus dados está na
        <a routerLink="/privacidade">Política de Privacidade</a>.
      </p>

      <h2>Compra</h2>
      <p>
        Para reservar assentos e comprar, você entra com sua conta Google. Você escolhe a sessão, os assentos e o
        tipo de cada ingresso, pode incluir itens da bomboniere e paga com cartão (à vista ou em parcelas) ou Pix.
        O preço é calculado pelo cinema e mostrado antes do pagamento. A compra só vale depois que o pagamento é
        confirmado: os ingressos, com o QR code, ficam em <a routerLink="/conta/pedidos">Meus pedidos</a>.
      </p>

      <h2>Reserva de assentos</h2>
      <p>
        Ao reservar, os assentos ficam guardados para você por alguns minutos (o tempo aparece na tela). A reserva
        não é renovada: se o pagamento não for concluído até o fim desse tempo, os assentos voltam à venda. Para que
        todos tenham chance de comprar, há um limite de reservas e de assentos por pessoa ao mesmo tempo e, em
        pré-estreias e sessões muito procuradas, uma fila virtual por ordem de chegada.
      </p>

      <h2>Meia-entrada</h2>
      <p>
        Têm direito à meia-entrada as pessoas previstas em lei, como estudantes, jovens de baixa renda, pessoas com
        deficiência e seu acompanhante (Lei 12.933/2013), pessoas com 60 anos ou mais (Estatuto da Pessoa Idosa) e
        outras previstas em leis locais. A meia-entrada é metade do preço da inteira e não se soma a promoções. A
        venda de meia-entrada pelo site é limitada a 40% dos assentos de cada sessão. <strong>Leve o documento que comprova o direito: ele é pedido na entrada da sala</strong>; sem ele,
        a entrada com esse ingresso pode ser recusada.
      </p>

      <h2>Taxa de conveniência</h2>
      <p>
        A compra pelo site tem uma taxa de conveniência por ingresso. Ela é mostrada antes do pagamento, aparece
        separada no pedido e no recibo, e é devolvida junto com o restante quando o pedido é cancelado.
      </p>

      <h2>Cancelamento e reembolso</h2>
      <ul>
        <li>
          Você pode cancelar um pedido pago em <a routerLink="/conta/pedidos">Meus pedidos</a> até 2 horas antes do
          início da sessão (o prazo aparece no pedido). O valor inteiro, com a taxa de conveniência e a bomboniere,
          é devolvido na mesma forma de pagamento.
        </li>
        <li>
          Se o cinema cancelar a sessão, o reembolso é automático e integral, sem você precisar pedir, e você recebe
          um aviso no site.
        </li>
        <li>
          Se o cinema mudar o horário da sessão, você é avisado e pode manter os ingressos para o novo horário ou
          cancelar com reembolso integral, mesmo fora do prazo.
        </li>
        <li>
          O prazo do estorno depende do meio de pagamento: no cartão, o valor aparece na fatura conforme as regras
          do emissor; no Pix, volta para a conta de origem.
        </li>
      </ul>
      <p>
        Estas regras seguem o Código de Defesa do Consumidor (Lei 8.078/1990) e não limitam nenhum direito que ele
        garante a você.
      </p>

      <h2>Ingressos e bomboniere</h2>
      <p>
        Cada ingresso vale uma entrada na sessão comprada e é conferido pelo QR code na entrada da sala. Respeite a
        classificação indicativa do filme: o cinema pode pedir um documento e recusar a entrada conforme a idade.
      </p>
      <p>
        Os itens da bomboniere são retirados <strong>uma única vez</strong>, no balcão do cinema da sessão, com o
        código de retirada do pedido. Todos os itens do pedido são entregues juntos; depois da entrega, o código
        não vale de novo.
      </p>

      <h2>Conduta</h2>
      <p>Ao usar o site, você se compromete a:</p>
      <ul>
        <li>usar uma conta sua e dados verdadeiros;</li>
        <li>não usar robôs ou outros meios automáticos para reservar, comprar ou passar à frente na fila virtual;</li>
        <li>não reservar assentos sem intenção de compra nem tentar contornar os limites por pessoa;</li>
        <li>não revender ingressos com fins comerciais;</li>
        <li>não tentar acessar dados de outras pessoas nem atrapalhar o funcionamento do site.</li>
      </ul>
      <p>
        Quem descumprir estes termos pode ter reservas desfeitas e o acesso ao site suspenso.
      </p>

      <h2>Mudanças nestes termos</h2>
      <p>
        Podemos mudar estes termos. A nova versão é publicada nesta página, com a nova data, e mudanças importantes
        são avisadas no site. Cada compra segue os termos em vigor no momento em que foi feita.
      </p>

      <h2>Lei aplicável e contato</h2>
      <p>
        Estes termos seguem as leis do Brasil. Dúvidas e reclamações:
        <span class="todo">canal de atendimento a preencher antes da publicação</span>.
      </p>
    </article>
  `,
  styles: LEGAL_STYLES,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TermsPage {}
