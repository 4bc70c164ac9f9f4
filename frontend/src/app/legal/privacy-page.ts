import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ACCOUNT_DATA_PATH, LEGAL_STYLES, LegalVersion } from './legal';

/**
 * Política de Privacidade (/privacidade): what the app does with a buyer's
 * personal data under the LGPD (Lei 13.709/2018), in plain pt-BR. Public,
 * linked from the footer and the sign-in page, and the URL given to Google's
 * OAuth consent screen. The controller's and the encarregado's details are
 * placeholders, marked on the page, to be filled in before going live.
 */
@Component({
  selector: 'app-privacy-page',
  imports: [RouterLink, LegalVersion],
  template: `
    <article class="legal" aria-labelledby="privacy-title">
      <h1 id="privacy-title">Política de Privacidade</h1>
      <app-legal-version />
      <p>
        Esta política explica quais dados pessoais tratamos quando você usa o Bilhetagem para comprar ingressos e
        itens da bomboniere, para quê, por quanto tempo, com quem os compartilhamos e como você exerce seus direitos
        pela Lei Geral de Proteção de Dados (LGPD, Lei 13.709/2018).
      </p>

      <h2>Quem é o controlador</h2>
      <p>
        O controlador dos dados é a <strong>Rede de cinemas</strong> que opera as salas vendidas neste site
        (<span class="todo">razão social, CNPJ e endereço a preencher antes da publicação</span>).
        É ela quem decide como seus dados são tratados e responde por eles.
      </p>

      <h2>Quais dados tratamos</h2>
      <ul data-testid="data-kinds">
        <li>
          <strong>Dados da sua conta Google:</strong> o identificador da conta (o código que o Google dá a você neste
          site), seu e-mail e seu nome, recebidos quando você entra com o Google. Não recebemos sua senha.
        </li>
        <li>
          <strong>Pedidos e ingressos:</strong> a sessão, os assentos, o tipo de cada ingresso (inteira ou
          meia-entrada), os itens da bomboniere, os valores, o código de retirada e o uso do ingresso na entrada.
          O documento da meia-entrada é conferido na entrada da sala e não é guardado.
        </li>
        <li>
          <strong>Pagamentos:</strong> a forma de pagamento, o valor, as parcelas, a situação e os estornos.
          Os dados do cartão são digitados no formulário do provedor de pagamento e ficam com ele: guardamos apenas
          a bandeira e os 4 últimos dígitos do cartão.
        </li>
        <li>
          <strong>Avisos:</strong> as mensagens do cinema sobre os seus pedidos (uma sessão cancelada ou remarcada,
          um estorno) e se você já as leu.
        </li>
        <li>
          <strong>Entradas na fila virtual:</strong> em pré-estreias e sessões muito procuradas, a sessão, a hora
          em que você entrou na fila e a sua vez.
        </li>
        <li>
          <strong>Registros técnicos:</strong> endereço IP, data e hora, a operação pedida, o navegador e os erros,
          registrados pelos nossos servidores.
        </li>
      </ul>

      <h2>Para que usamos e com qual base legal</h2>
      <h3>Execução de contrato (LGPD, art. 7º, V)</h3>
      <p>
        Para identificar você, reservar seus assentos, criar e cobrar o pedido, emitir os ingressos e o código de
        retirada da bomboniere, conferir os ingressos na entrada, organizar a fila virtual, enviar avisos sobre os
        seus pedidos e fazer cancelamentos e estornos.
      </p>
      <h3>Obrigação legal ou regulatória (LGPD, art. 7º, II)</h3>
      <p>
        Para guardar os registros de pedidos e pagamentos exigidos pelas regras fiscais e tributárias, respeitar o
        limite de meia-entrada de cada sessão (Lei 12.933/2013) e guardar registros de acesso como pede o Marco Civil
        da Internet (Lei 12.965/2014).
      </p>
      <h3>Legítimo interesse (LGPD, art. 7º, IX)</h3>
      <p>
        Para proteger o site e os compradores contra fraude e abuso (por exemplo, o limite de reservas por pessoa),
        diagnosticar erros e planejar sessões com números de vendas agregados, que não identificam ninguém.
      </p>
      <p>Não usamos seus dados para publicidade e não vendemos dados pessoais.</p>

      <h2>Por quanto tempo guardamos</h2>
      <ul>
        <li>Dados da conta e avisos: enquanto sua conta existir.</li>
        <li>
          Pedidos e pagamentos: por 5 anos, o prazo das regras fiscais. Se você excluir sua conta, eles continuam
          guardados por esse prazo, mas sem vínculo com você: sem nome, e-mail ou identificador da conta.
        </li>
        <li>Reservas de assentos: alguns minutos, até a compra ou o fim da reserva.</li>
        <li>Entradas na fila virtual: até 2 dias.</li>
        <li>Registros técnicos: pelo tempo necessário à segurança do site e pelo prazo que a lei exigir.</li>
      </ul>

      <h2>Com quem compartilhamos</h2>
      <ul>
        <li>
          <strong>Provedor de pagamento:</strong> recebe os dados do cartão ou do Pix e o valor para cobrar, e
          estornar quando for o caso.
        </li>
        <li>
          <strong>Amazon Web Services (AWS):</strong> hospeda o site e os dados na região de São Paulo, como
          operadora, tratando-os só conforme as nossas instruções.
        </li>
        <li>
          <strong>Serviço de e-mail:</strong> recebe seu e-mail e a mensagem para enviar confirmações e avisos.
        </li>
        <li><strong>Google:</strong> faz o login e sabe que você entrou neste site.</li>
        <li><strong>Autoridades:</strong> quando a lei ou uma ordem judicial exigir.</li>
      </ul>
      <p>
        Alguns desses fornecedores podem tratar dados fora do Brasil; nesses casos, a transferência segue as
        regras da LGPD (art. 33).
      </p>

      <h2>Seus direitos</h2>
      <p>Pelo art. 18 da LGPD, você pode pedir a qualquer momento:</p>
      <ul>
        <li>a confirmação de que tratamos seus dados e o acesso a eles;</li>
        <li>a correção de dados incompletos, inexatos ou desatualizados;</li>
        <li>a anonimização, o bloqueio ou a eliminação de dados desnecessários, excessivos ou tratados em desconformidade com a lei;</li>
        <li>a portabilidade dos seus dados a outro fornecedor;</li>
        <li>a eliminação dos dados tratados com o seu consentimento;</li>
        <li>a informação sobre com quem compartilhamos seus dados;</li>
        <li>a informação sobre a possibilidade de não dar consentimento e sobre as consequências da negativa;</li>
        <li>a revogação do consentimento;</li>
        <li>a oposição a um tratamento feito sem consentimento, se ele descumprir a lei.</li>
      </ul>
      <h3>Como exercer seus direitos</h3>
      <p>
        Na página <a [routerLink]="accountPath" data-testid="account-link">Meus dados</a>, da sua conta, você
        pode <strong>baixar meus dados</strong> (um arquivo JSON com tudo o que guardamos sobre você) e
        <strong>excluir minha conta</strong>. Se houver um pedido aguardando pagamento ou ingressos para uma sessão
        que ainda vai acontecer, cancele o pedido (com reembolso) ou use os ingressos antes. Para os demais pedidos, escreva ao
        encarregado. Respondemos em até 15 dias. Você também pode reclamar à Autoridade Nacional de Proteção de
        Dados (ANPD).
      </p>

      <h2>Encarregado pelo tratamento de dados (DPO)</h2>
      <p>
        Encarregado: <span class="todo">nome e e-mail de contato a preencher antes da publicação</span>.
      </p>

      <h2>Cookies e armazenamento local</h2>
      <p>
        Não usamos cookies de publicidade nem de análise. O site guarda no seu navegador só o que o login e a
        compra precisam: a sua sessão, a reserva e o carrinho da bomboniere (apagados ao fechar a aba ou ao sair)
        e o cinema que você escolheu. O formulário do provedor de pagamento e a página de login do Google podem
        usar cookies próprios, para segurança e prevenção de fraude.
      </p>

      <h2>Mudanças nesta política</h2>
      <p>
        Quando esta política mudar, publicamos a nova versão nesta página, com a nova data. Mudanças importantes
        também são avisadas no site.
      </p>
    </article>
  `,
  styles: LEGAL_STYLES,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PrivacyPage {
  protected readonly accountPath = ACCOUNT_DATA_PATH;
}
